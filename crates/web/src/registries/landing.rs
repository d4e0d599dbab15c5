//! `/so-theo-doi`: the registries a unit keeps, one card each, with what
//! each holds and the figures it feeds.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::auth::PageUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};
use crate::state::AppState;

pub const PATH: &str = "/so-theo-doi";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(page))
}

/// One registry on the landing page: where it is, its name and what it holds.
pub struct Card {
    pub href: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
}

const CARDS: [(&str, &str, &str); 4] = [
    ("/mo-hinh", "reg.models", "reg.models_hint"),
    ("/to-chuc-quan-chung", "reg.teams", "reg.teams_hint"),
    ("/an-toan-antt", "reg.recognitions", "reg.recognitions_hint"),
    (
        "/phan-loai-phong-trao",
        "reg.classifications",
        "reg.classifications_hint",
    ),
];

#[derive(Template)]
#[template(path = "registries/landing.html")]
struct LandingPage {
    c: Chrome,
    cards: Vec<Card>,
}

async fn page(c: Chrome, PageUser(_ctx): PageUser) -> PageResult<Response> {
    let cards = CARDS
        .iter()
        .map(|(href, title, hint)| Card {
            href,
            title: c.t(title),
            hint: c.t(hint),
        })
        .collect();
    render(LandingPage { c, cards })
}

pub static WORDS: &[(&str, &str, &str)] = &[
    ("nav.registries", "Sổ theo dõi", "Registers"),
    ("reg.title", "Sổ theo dõi phong trào", "Registers of the movement"),
    ("reg.hint", "Các sổ mà Công an xã, tỉnh vẫn ghi trên Excel: số liệu mô hình, tổ chức quần chúng, An toàn về ANTT và phân loại phong trào được tính từ các sổ này.", "The registers commune and province police keep in Excel today: the figures of models, grassroots organisations, safety recognition and classification are computed from them."),
    ("reg.models", "Mô hình, điển hình tiên tiến", "Models and exemplary cases"),
    ("reg.models_hint", "Mô hình phòng, chống tội phạm theo loại, điểm áp dụng, nhân rộng; điển hình tiên tiến.", "Crime-prevention models by type, their sites and replications; exemplary cases."),
    ("reg.teams", "Tổ chức quần chúng, tổ bảo vệ ANTT", "Grassroots organisations and teams"),
    ("reg.teams_hint", "Tổ bảo vệ ANTT ở cơ sở, tổ an ninh nhân dân, tổ hòa giải, tổ tự quản…: thành viên và đánh giá, xếp loại hằng năm.", "Grassroots security teams, people's security teams, mediation and self-managed groups: members and yearly evaluation."),
    ("reg.recognitions", "An toàn về an ninh, trật tự", "Safety-standard recognition"),
    ("reg.recognitions_hint", "Đăng ký, hồ sơ và công nhận khu dân cư, xã, cơ quan, doanh nghiệp, nhà trường đạt tiêu chuẩn (Thông tư 124/2021/TT-BCA).", "Registration, dossier and recognition of areas, communes, agencies, enterprises and schools (Circular 124/2021/TT-BCA)."),
    ("reg.classifications", "Phân loại phong trào", "Movement classification"),
    ("reg.classifications_hint", "Chấm điểm, xét duyệt và xếp loại phong trào Xuất sắc, Khá, Trung bình, Yếu (Quyết định 510/QĐ-BCA-V05).", "Scoring, review and bands Excellent, Good, Average, Weak (Decision 510/QĐ-BCA-V05)."),
];
