//! The conference form of the pages, as typed: fixed rows of organisers and
//! attendees (no JavaScript needed), programmes and reviews as check boxes.
//! Turned into the same parameters as the API's.

use antq_storage::programmes::conferences::{Conference, Role};

use super::{AttendeeParams, ConferenceParams, OrganiserParams};
use crate::error::Failure;

/// Empty organiser rows offered.
pub const ORGANISER_ROWS: usize = 4;
/// Empty attendee rows offered after those recorded.
pub const MORE_ATTENDEES: usize = 4;
/// The most form fields read (bounds the work on a hostile body).
const MAX_FIELDS: usize = 600;

/// The form as typed, or as recorded (to edit).
#[derive(Debug, Clone, Default)]
pub struct FormView {
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub unit: String,
    pub unit_pick: String,
    pub stage_from: String,
    pub stage_to: String,
    pub attendance: String,
    pub notes: String,
    /// (body code or empty, name).
    pub organisers: Vec<(String, String)>,
    /// [rank, name, office, body].
    pub attendees: Vec<[String; 4]>,
    pub reviewed: Vec<i64>,
    pub signed: Vec<i64>,
    pub reviews: Vec<i64>,
}

fn indexed(key: &str, prefix: &str) -> Option<usize> {
    key.strip_prefix(prefix)?.parse().ok()
}

fn grow<T: Default + Clone>(v: &mut Vec<T>, i: usize, max: usize) -> Option<&mut T> {
    if i >= max {
        return None;
    }
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    v.get_mut(i)
}

impl FormView {
    /// A new conference: rows ready, the organisers of a joint conference.
    pub fn blank() -> FormView {
        let mut f = FormView {
            kind: "tong_ket".into(),
            organisers: vec![
                ("cong_an".into(), String::new()),
                ("mttq".into(), String::new()),
            ],
            ..FormView::default()
        };
        f.pad();
        f
    }

    /// Empty rows to type into.
    pub fn pad(&mut self) {
        self.organisers.resize(
            self.organisers.len().max(ORGANISER_ROWS),
            Default::default(),
        );
        let n = (self.attendees.len() + MORE_ATTENDEES).min(super::store::MAX_ATTENDEES);
        self.attendees
            .resize(n.max(self.attendees.len()), Default::default());
    }

    pub fn from_pairs(pairs: &[(String, String)]) -> Result<FormView, Failure> {
        if pairs.len() > MAX_FIELDS {
            return Err(Failure::bad_request("Biểu mẫu có quá nhiều trường"));
        }
        let mut f = FormView::default();
        let id = |v: &str| v.trim().parse::<i64>().ok();
        let max_att = super::store::MAX_ATTENDEES;
        for (k, v) in pairs {
            let v = v.clone();
            match k.as_str() {
                "kind" => f.kind = v,
                "title" => f.title = v,
                "held_on" => f.held_on = v,
                "place" => f.place = v,
                "unit" => f.unit = v,
                "unit_pick" => f.unit_pick = v,
                "stage_from" => f.stage_from = v,
                "stage_to" => f.stage_to = v,
                "attendance" => f.attendance = v,
                "notes" => f.notes = v,
                "reviewed" => f.reviewed.extend(id(&v)),
                "signed" => f.signed.extend(id(&v)),
                "reviews" => f.reviews.extend(id(&v)),
                k => {
                    let slot = |p| indexed(k, p);
                    if let Some(i) = slot("org_body_") {
                        if let Some(o) = grow(&mut f.organisers, i, ORGANISER_ROWS) {
                            o.0 = v;
                        }
                    } else if let Some(i) = slot("org_name_") {
                        if let Some(o) = grow(&mut f.organisers, i, ORGANISER_ROWS) {
                            o.1 = v;
                        }
                    } else {
                        for (n, p) in ["att_rank_", "att_name_", "att_office_", "att_body_"]
                            .iter()
                            .enumerate()
                        {
                            if let Some(i) = slot(p) {
                                if let Some(a) = grow(&mut f.attendees, i, max_att) {
                                    a[n] = v.clone();
                                }
                            }
                        }
                    }
                }
            }
        }
        Ok(f)
    }

    pub fn from_conference(c: &Conference) -> FormView {
        let year = |y: Option<i32>| y.map(|y| y.to_string()).unwrap_or_default();
        let mut f = FormView {
            kind: c.kind.code().into(),
            title: c.title.clone(),
            held_on: crate::pages::date_vi(Some(&c.held_on)).unwrap_or_default(),
            place: c.place.clone(),
            unit: c.unit_name.clone(),
            unit_pick: c.unit_code.clone(),
            stage_from: year(c.stage_from),
            stage_to: year(c.stage_to),
            attendance: c.attendance.map(|a| a.to_string()).unwrap_or_default(),
            notes: c.notes.clone(),
            organisers: c
                .organisers
                .iter()
                .map(|o| {
                    // An organiser named from the holding unit shows as its body alone.
                    let derived = o.unit_id == Some(c.unit_id);
                    (
                        o.body.code().to_string(),
                        if derived {
                            String::new()
                        } else {
                            o.name.clone()
                        },
                    )
                })
                .collect(),
            attendees: c
                .attendees
                .iter()
                .map(|a| {
                    [
                        a.rank_title.clone(),
                        a.name.clone(),
                        a.office.clone(),
                        a.body.clone(),
                    ]
                })
                .collect(),
            reviewed: ids(c, Role::Reviews),
            signed: ids(c, Role::Signed),
            reviews: c.reviews.iter().map(|r| r.id).collect(),
        };
        f.pad();
        f
    }

    /// The parameters, with the holding unit's code (resolved from the picker).
    pub fn params(&self, unit_code: &str) -> Result<ConferenceParams, Failure> {
        let number = |s: &str, label: &str| -> Result<Option<i64>, Failure> {
            let t: String = s.trim().chars().filter(|c| *c != '.').collect();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<i64>().map(Some).map_err(|_| {
                Failure::new(
                    axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    format!("{label} phải là một số, không phải \"{}\"", s.trim()),
                )
            })
        };
        let year = |s: &str, label: &str| number(s, label).map(|y| y.map(|y| y as i32));
        Ok(ConferenceParams {
            kind: self.kind.clone(),
            title: self.title.clone(),
            held_on: self.held_on.clone(),
            place: self.place.clone(),
            unit: unit_code.to_string(),
            stage_from: year(&self.stage_from, "Năm đầu giai đoạn")?,
            stage_to: year(&self.stage_to, "Năm cuối giai đoạn")?,
            attendance: number(&self.attendance, "Số người dự")?,
            notes: self.notes.clone(),
            organisers: self
                .organisers
                .iter()
                .filter(|(body, name)| !body.trim().is_empty() || !name.trim().is_empty())
                .map(|(body, name)| {
                    let body = if body.trim().is_empty() {
                        "khac"
                    } else {
                        body.trim()
                    };
                    OrganiserParams {
                        // A body of the holding unit unless named otherwise.
                        unit: (body != "khac" && name.trim().is_empty())
                            .then(|| unit_code.to_string()),
                        body: body.to_string(),
                        name: name.clone(),
                    }
                })
                .collect(),
            attendees: self
                .attendees
                .iter()
                .filter(|a| a.iter().any(|s| !s.trim().is_empty()))
                .map(|a| AttendeeParams {
                    rank_title: a[0].clone(),
                    name: a[1].clone(),
                    office: a[2].clone(),
                    body: a[3].clone(),
                })
                .collect(),
            reviewed_programmes: self.reviewed.clone(),
            signed_plans: self.signed.clone(),
            reviews: self.reviews.clone(),
        })
    }
}

fn ids(c: &Conference, role: Role) -> Vec<i64> {
    c.programmes
        .iter()
        .filter(|p| p.role == role)
        .map(|p| p.id)
        .collect()
}
