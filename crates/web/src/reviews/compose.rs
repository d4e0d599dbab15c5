//! "Soạn báo cáo": the officer's editor of the whole report on the review
//! page — the title, the sections (typed text, order, added and removed),
//! the signature blocks (from the register or typed) and "Nơi nhận" — and
//! the approvals of each issuing side. Works without JavaScript: the
//! buttons that move, remove or add a section submit the whole form, so
//! nothing typed is lost; a refused save shows the page again with what was
//! typed and the reason.

use antq_core::reviews::document::{Section, SectionKind};
use antq_core::reviews::signing::{Authority, Side, Signer};
use antq_core::reviews::{default_title, Owner};
use antq_storage::reviews::{DocumentChange, RegisteredSigner, Review};

/// The most fields a posted editor may carry (sections × 3, signers × 7, …).
const MAX_FIELDS: usize = 200;

/// A section as the editor shows it.
pub struct SectionForm {
    pub index: usize,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub heading: String,
    pub text: String,
    pub results: bool,
    pub first: bool,
    pub last: bool,
}

/// A signature block as the editor shows it.
pub struct SignerForm {
    pub index: usize,
    pub side: &'static str,
    pub side_label: &'static str,
    pub authority: &'static str,
    pub for_whom: String,
    pub position: String,
    pub rank: String,
    pub name: String,
    /// The register's signers of this side: (id, words).
    pub register: Vec<(i64, String)>,
}

/// The editor's state: from the stored review, or as posted.
pub struct ComposeView {
    /// The review's `updated_at`, sent back so a save never overwrites a
    /// change made meanwhile.
    pub version: String,
    pub title: String,
    pub default_title: String,
    pub sections: Vec<SectionForm>,
    pub signers: Vec<SignerForm>,
    pub recipients: String,
    /// (code, words) of the kinds a section may be.
    pub kinds: Vec<(&'static str, &'static str)>,
    /// (code, words) of the authority lines.
    pub authorities: Vec<(&'static str, &'static str)>,
    pub error: String,
}

/// What the posted editor asks: the change, and the step (save, move, add).
pub struct Posted {
    /// The review's `updated_at` when the editor was opened.
    pub version: String,
    pub title: String,
    pub sections: Vec<Section>,
    pub signers: Vec<Signer>,
    /// Register ids chosen per signature block (replacing what was typed).
    pub picks: Vec<Option<i64>>,
    pub recipients: String,
    pub op: Op,
}

/// The button that posted the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Save,
    Up(usize),
    Down(usize),
    Remove(usize),
    Add(SectionKind),
}

fn kind_of(s: &str) -> SectionKind {
    SectionKind::parse(s).unwrap_or(SectionKind::Other)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Read the posted editor. Fields are `s{i}.kind|heading|text`,
/// `g{j}.side|authority|for_whom|position|rank|name|pick`, `title`,
/// `recipients`, `op` and `add_kind`.
pub fn parse(fields: &[(String, String)]) -> Result<Posted, String> {
    if fields.len() > MAX_FIELDS {
        return Err(format!(
            "Biểu mẫu có quá nhiều trường (tối đa {MAX_FIELDS})"
        ));
    }
    let indexed = |prefix: char| -> Vec<usize> {
        let mut v: Vec<usize> = fields
            .iter()
            .filter_map(|(k, _)| {
                let rest = k.strip_prefix(prefix)?;
                let (n, _) = rest.split_once('.')?;
                n.parse().ok()
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let sections = indexed('s')
        .into_iter()
        .map(|i| {
            let f = |n: &str| field(fields, &format!("s{i}.{n}")).to_string();
            Section::new(kind_of(&f("kind")), f("heading"), f("text"))
        })
        .collect();
    let mut signers = Vec::new();
    let mut picks = Vec::new();
    for j in indexed('g') {
        let f = |n: &str| field(fields, &format!("g{j}.{n}")).to_string();
        let side = Side::parse(&f("side")).map_err(|e| e.to_string())?;
        signers.push(Signer {
            side,
            authority: Authority::parse(&f("authority")).unwrap_or_default(),
            for_whom: f("for_whom"),
            position: f("position"),
            rank: f("rank"),
            name: f("name"),
        });
        picks.push(f("pick").parse::<i64>().ok());
    }
    let op = match field(fields, "op").split_once(':') {
        Some(("up", n)) => n.parse().map(Op::Up).unwrap_or(Op::Save),
        Some(("down", n)) => n.parse().map(Op::Down).unwrap_or(Op::Save),
        Some(("remove", n)) => n.parse().map(Op::Remove).unwrap_or(Op::Save),
        _ if field(fields, "op") == "add" => Op::Add(kind_of(field(fields, "add_kind"))),
        _ => Op::Save,
    };
    Ok(Posted {
        version: field(fields, "version").to_string(),
        title: field(fields, "title").to_string(),
        sections,
        signers,
        picks,
        recipients: field(fields, "recipients").to_string(),
        op,
    })
}

impl Posted {
    /// Apply the step to the sections, then the register's choices to the
    /// signature blocks; the change to save.
    pub fn change(mut self, register: &[RegisteredSigner]) -> DocumentChange {
        let n = self.sections.len();
        match self.op {
            Op::Up(i) if i > 0 && i < n => self.sections.swap(i, i - 1),
            Op::Down(i) if i + 1 < n => self.sections.swap(i, i + 1),
            Op::Remove(i) if i < n && self.sections[i].kind != SectionKind::Results => {
                self.sections.remove(i);
            }
            Op::Add(kind) if kind != SectionKind::Results => {
                let heading = match kind {
                    SectionKind::Other => "MỤC MỚI".to_string(),
                    k => k.label_vi().to_uppercase(),
                };
                // Before the proposals, or at the end.
                let at = self
                    .sections
                    .iter()
                    .position(|s| s.kind == SectionKind::Proposals)
                    .unwrap_or(n);
                self.sections.insert(at, Section::new(kind, heading, ""));
            }
            _ => {}
        }
        for (s, pick) in self.signers.iter_mut().zip(&self.picks) {
            if let Some(r) = pick.and_then(|id| register.iter().find(|r| r.id == id)) {
                if r.signer.side == s.side {
                    *s = r.signer.clone();
                }
            }
        }
        let recipients: Vec<String> = self
            .recipients
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        DocumentChange {
            version: Some(self.version).filter(|v| !v.is_empty()),
            title: Some(self.title),
            sections: Some(self.sections),
            signers: Some(self.signers),
            recipients: Some(recipients),
        }
    }
}

/// The sections as the editor lists them (for a review or a template).
pub fn section_forms(sections: Vec<Section>) -> Vec<SectionForm> {
    let n = sections.len();
    sections
        .into_iter()
        .enumerate()
        .map(|(i, s)| SectionForm {
            index: i,
            kind: s.kind.code(),
            kind_label: s.kind.label_vi(),
            results: s.kind == SectionKind::Results,
            heading: s.heading,
            text: s.text,
            first: i == 0,
            last: i + 1 == n,
        })
        .collect()
}

/// The kinds a section the officer adds may be: (code, words).
pub fn typed_kinds() -> Vec<(&'static str, &'static str)> {
    SectionKind::ALL
        .iter()
        .filter(|k| **k != SectionKind::Results)
        .map(|k| (k.code(), k.label_vi()))
        .collect()
}

fn register_words(r: &RegisteredSigner) -> String {
    let lines = r.signer.title_lines().join(" / ");
    let name = r.signer.signed_name();
    if name.is_empty() {
        lines
    } else {
        format!("{name} — {lines}")
    }
}

/// The editor filled from what is stored (or, after a refused save, from
/// what was posted: `posted` with its error).
pub fn view(
    r: &Review,
    signers: &[Signer],
    recipients: &[String],
    register: &[RegisteredSigner],
    posted: Option<(DocumentChange, String)>,
) -> ComposeView {
    let version = r.updated_at.clone();
    let (title, sections, signers, recipients, error) = match posted {
        Some((c, error)) => (
            c.title.unwrap_or_default(),
            c.sections.unwrap_or_default(),
            c.signers.unwrap_or_default(),
            c.recipients.unwrap_or_default(),
            error,
        ),
        None => (
            r.title.clone().unwrap_or_default(),
            r.sections.clone(),
            signers.to_vec(),
            recipients.to_vec(),
            String::new(),
        ),
    };
    ComposeView {
        version,
        title,
        default_title: default_title(&r.snapshot),
        sections: section_forms(sections),
        signers: signers
            .into_iter()
            .enumerate()
            .map(|(j, s)| SignerForm {
                index: j,
                side: s.side.code(),
                side_label: s.side.label_vi(),
                authority: s.authority.code(),
                register: register
                    .iter()
                    .filter(|r| r.active && r.signer.side == s.side)
                    .map(|r| (r.id, register_words(r)))
                    .collect(),
                for_whom: s.for_whom,
                position: s.position,
                rank: s.rank,
                name: s.name,
            })
            .collect(),
        recipients: recipients.join("\n"),
        kinds: typed_kinds(),
        authorities: Authority::ALL
            .iter()
            .map(|a| (a.code(), a.label_vi()))
            .collect(),
        error,
    }
}

/// One side's approval as the page says it.
pub struct ApprovalView {
    pub side: &'static str,
    pub side_label: &'static str,
    /// "Đã duyệt: ca.dongthap, 03/12/2026 15:20", or empty.
    pub done: String,
    /// May the reader approve for this side now?
    pub may: bool,
}

/// The approvals of each issuing side, and whether the reader may give them.
pub fn approvals(r: &Review, may: &[Side]) -> Vec<ApprovalView> {
    Side::of(r.owner)
        .iter()
        .map(|side| ApprovalView {
            side: side.code(),
            side_label: side.label_vi(),
            done: r
                .approvals
                .iter()
                .find(|a| a.side == *side)
                .map(|a| format!("{}, {}", a.by, antq_core::dates::format_timestamp_vi(&a.at)))
                .unwrap_or_default(),
            may: may.contains(side)
                && r.draft().is_none()
                && !r.approvals.iter().any(|a| a.side == *side),
        })
        .collect()
}

/// The state of a review in words.
pub fn state_words(r: &Review) -> String {
    if r.is_final() {
        return if r.owner == Owner::Joint {
            "Đã hoàn thành: Công an và Mặt trận Tổ quốc đều đã duyệt".into()
        } else {
            "Đã hoàn thành: đã duyệt".into()
        };
    }
    if r.approvals.is_empty() {
        "Dự thảo: chưa bên nào duyệt".into()
    } else {
        let sides: Vec<&str> = r.approvals.iter().map(|a| a.side.label_vi()).collect();
        format!(
            "Dự thảo: {} đã duyệt, còn chờ bên còn lại",
            sides.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn the_posted_editor_reads_in_order_and_moves_sections() {
        let fields = vec![
            f("title", "Báo cáo riêng"),
            f("s1.kind", "results"),
            f("s1.heading", "KẾT QUẢ"),
            f("s0.kind", "situation"),
            f("s0.heading", "ĐẶC ĐIỂM"),
            f("s0.text", "Tỉnh có **34** xã."),
            f("s2.kind", "proposals"),
            f("s2.heading", "KIẾN NGHỊ"),
            f("g0.side", "police"),
            f("g0.authority", "kt"),
            f("g0.for_whom", "GIÁM ĐỐC"),
            f("g0.position", "PHÓ GIÁM ĐỐC"),
            f("recipients", "UBND tỉnh;\n\n Lưu: VT."),
            f("op", "down:0"),
        ];
        let p = parse(&fields).unwrap();
        assert_eq!(p.sections[0].heading, "ĐẶC ĐIỂM");
        assert_eq!(p.op, Op::Down(0));
        let c = p.change(&[]);
        let s = c.sections.unwrap();
        assert_eq!(s[0].kind, SectionKind::Results, "moved down one");
        assert_eq!(s[1].text, "Tỉnh có **34** xã.");
        assert_eq!(c.recipients.unwrap(), ["UBND tỉnh;", "Lưu: VT."]);
        assert_eq!(c.signers.unwrap()[0].authority, Authority::Deputy);

        let mut add = fields.clone();
        add.retain(|(k, _)| k != "op");
        add.push(f("op", "add"));
        add.push(f("add_kind", "lessons"));
        let s = parse(&add).unwrap().change(&[]).sections.unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(
            s[2].kind,
            SectionKind::Lessons,
            "added before the proposals"
        );

        let mut rm = fields.clone();
        rm.retain(|(k, _)| k != "op");
        rm.push(f("op", "remove:1"));
        assert_eq!(
            parse(&rm).unwrap().change(&[]).sections.unwrap().len(),
            3,
            "the results section is never removed"
        );
        let too_many: Vec<_> = (0..=MAX_FIELDS).map(|i| f(&format!("x{i}"), "")).collect();
        assert!(parse(&too_many).is_err());
        let bad_side = vec![f("g0.side", "army")];
        assert!(parse(&bad_side).is_err());
    }
}
