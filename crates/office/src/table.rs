//! A plain table, the common shape of every export.

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Number(x)
    }
}

impl From<Option<f64>> for Cell {
    fn from(x: Option<f64>) -> Self {
        x.map(Cell::Number).unwrap_or(Cell::Empty)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// As CSV (UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = vec![0xEF, 0xBB, 0xBF];
        {
            let mut w = csv::Writer::from_writer(&mut out);
            let _ = w.write_record(&self.headers);
            for row in &self.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| match c {
                        Cell::Empty => String::new(),
                        Cell::Text(s) => s.clone(),
                        Cell::Number(x) => {
                            if x.fract() == 0.0 {
                                format!("{}", *x as i64)
                            } else {
                                format!("{x}")
                            }
                        }
                    })
                    .collect();
                let _ = w.write_record(&cells);
            }
            let _ = w.flush();
        }
        out
    }
}
