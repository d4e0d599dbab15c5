//! What every library starts with: the national coordination programme 09
//! (its document with the press's variants, its programme row) and its
//! successor for 2023 – 2033 (number unknown: left empty), and the
//! instruments of the movement (domain notes §1.2) with only the facts known.

use antq_core::dates;
use antq_core::programmes::documents::{DocKind, DocRef, ProgrammeKind, ProgrammeState};
use antq_core::programmes::Body;

use super::{insert, Alias, DocInput};
use crate::audit::Who;
use crate::db::Db;
use crate::error::StorageResult;
use crate::programmes::plans::{ItemInput, PartyInput, PlanInput};

/// The printed reference of the national programme 09, by which other
/// registries find it.
pub const PROGRAMME_09: &str = "09/CTr-BCA-MTTW";

const BCA: &str = "Bộ Công an";
const MTTW: &str = "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam";

/// (kind, reference, issued on, issuers, subject)
type Instrument = (
    DocKind,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static str,
);

const INSTRUMENTS: [Instrument; 11] = [
    (DocKind::ChiThi, "09-CT/TW", Some("2011-12-01"), &["Ban Bí thư"],
     "Về tăng cường sự lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới"),
    (DocKind::KetLuan, "44-KL/TW", Some("2019-01-22"), &["Ban Bí thư"],
     "Về tiếp tục thực hiện Chỉ thị số 09-CT/TW về phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    (DocKind::NghiDinh, "06/2014/NĐ-CP", Some("2014-01-21"), &["Chính phủ"],
     "Về biện pháp vận động quần chúng bảo vệ an ninh quốc gia, giữ gìn trật tự, an toàn xã hội"),
    (DocKind::QuyetDinh, "521/2005/QĐ-TTg", Some("2005-06-13"), &["Thủ tướng Chính phủ"],
     "Lấy ngày 19 tháng 8 hằng năm là \u{201C}Ngày hội toàn dân bảo vệ an ninh Tổ quốc\u{201D}"),
    (DocKind::ThongTu, "124/2021/TT-BCA", Some("2021-12-28"), &[BCA],
     "Quy định về khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn \u{201C}An toàn về an ninh, trật tự\u{201D}"),
    (DocKind::QuyetDinh, "510/QĐ-BCA-V05", Some("2022-01-20"), &[BCA],
     "Quy định Tiêu chí đánh giá, phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    (DocKind::QuyetDinh, "9745/QĐ-BCA-V05", None, &[BCA],
     "Tiêu chí tạm thời về xã, phường, thị trấn, cơ quan điển hình trong phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    (DocKind::HuongDan, "22/HD-BCA-V05", Some("2022-11-18"), &[BCA],
     "Hướng dẫn xây dựng mô hình, điển hình tiên tiến trong phong trào toàn dân bảo vệ an ninh Tổ quốc"),
    (DocKind::HuongDan, "01/HD-BCA-V05", None, &[BCA],
     "Hướng dẫn về các tổ, đội quần chúng bảo vệ an ninh, trật tự ở cơ sở"),
    (DocKind::Luat, "06/2022/QH15", None, &["Quốc hội"], "Luật Thi đua, khen thưởng"),
    (DocKind::NghiDinh, "30/2020/NĐ-CP", None, &["Chính phủ"], "Về công tác văn thư"),
];

fn date(s: &str) -> Option<dates::Date> {
    dates::parse_date(s).ok()
}

fn instrument(i: &Instrument) -> DocInput {
    let (kind, reference, issued_on, issuers, subject) = *i;
    DocInput {
        kind,
        reference: Some(DocRef::parse(reference).expect("a seeded reference parses")),
        year: (reference == "9745/QĐ-BCA-V05").then_some(2022),
        issued_on: issued_on.and_then(date),
        subject: subject.into(),
        issuers: issuers.iter().map(|s| s.to_string()).collect(),
        aliases: Vec::new(),
        as_written: None,
        unit_id: None,
    }
}

fn programme_09_document() -> DocInput {
    let alias = |r: &str, note: &str| Alias {
        reference: r.into(),
        note: note.into(),
    };
    DocInput {
        kind: DocKind::ChuongTrinh,
        reference: Some(DocRef::parse(PROGRAMME_09).expect("parses")),
        year: None,
        issued_on: date("2013-08-01"),
        subject: "Về việc đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới"
            .into(),
        issuers: vec![BCA.into(), MTTW.into()],
        aliases: vec![
            alias("09/Ctr-BCA-TTTW", "Cách ghi trên báo chí"),
            alias("09/CTr-CA-MTTW", "Cách ghi trên báo chí"),
            alias(
                "09/CTr-BCA-MTTQ",
                "Cách ghi trên báo chí; một trang ghi năm 2023 thay cho 2013",
            ),
        ],
        as_written: None,
        unit_id: None,
    }
}

fn parties() -> Vec<PartyInput> {
    vec![
        PartyInput {
            unit_id: None,
            body: Body::CongAn,
            name: BCA.into(),
        },
        PartyInput {
            unit_id: None,
            body: Body::Mttq,
            name: MTTW.into(),
        },
    ]
}

/// Seed the library when it is empty. Idempotent: a library that holds any
/// document is left as it is, so a second start adds nothing.
pub async fn seed_if_empty(db: &Db) -> StorageResult<()> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(db.pool())
        .await?;
    if count > 0 {
        return Ok(());
    }
    let who = Who::system();
    db.write(|mut tx| {
        let who = &who;
        async move {
            for i in &INSTRUMENTS {
                insert(&mut tx, who, &instrument(i)).await?;
            }
            let unconfirmed = DocInput {
                kind: DocKind::QuyetDinh,
                reference: None,
                year: Some(2022),
                issued_on: None,
                subject: "Quyết định của Thủ tướng Chính phủ được báo chí dẫn là \u{201C}77/QĐ-TTg ngày 30/11/2022\u{201D}: chưa xác minh được số và ngày (số quyết định của Thủ tướng cuối tháng 11 thường trên 1.400), cần biên tập viên kiểm tra".into(),
                issuers: vec!["Thủ tướng Chính phủ".into()],
                aliases: Vec::new(),
                as_written: Some("77/QĐ-TTg ngày 30/11/2022".into()),
                unit_id: None,
            };
            insert(&mut tx, who, &unconfirmed).await?;
            let doc09 = insert(&mut tx, who, &programme_09_document()).await?;
            let successor_doc = insert(&mut tx, who, &DocInput {
                kind: DocKind::ChuongTrinh,
                reference: None,
                year: Some(2023),
                issued_on: None,
                subject: "Chương trình phối hợp đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc giai đoạn 2023 – 2033".into(),
                issuers: vec![BCA.into(), MTTW.into()],
                aliases: Vec::new(),
                as_written: None,
                unit_id: None,
            }).await?;
            let successor = crate::programmes::plans::write_insert(&mut tx, who, &PlanInput {
                document_id: Some(successor_doc),
                kind: ProgrammeKind::ChuongTrinh,
                title: "Chương trình phối hợp giữa Bộ Công an và Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam giai đoạn 2023 – 2033".into(),
                unit_id: None,
                signed_on: None,
                stage_from: Some(2023),
                stage_to: Some(2033),
                implements_id: None,
                state: ProgrammeState::InForce,
                replaced_by_id: None,
                ended_on: None,
                notes: "Kế tiếp Chương trình phối hợp số 09/CTr-BCA-MTTW sau Hội nghị tổng kết 10 năm (17/10/2023). Số, ký hiệu và ngày ký chưa rõ: quản trị viên bổ sung.".into(),
                parties: parties(),
                items: Vec::<ItemInput>::new(),
            }).await?;
            crate::programmes::plans::write_insert(&mut tx, who, &PlanInput {
                document_id: Some(doc09),
                kind: ProgrammeKind::ChuongTrinh,
                title: "Chương trình phối hợp số 09/CTr-BCA-MTTW về đẩy mạnh phong trào Toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới".into(),
                unit_id: None,
                signed_on: date("2013-08-01"),
                stage_from: Some(2013),
                stage_to: Some(2023),
                implements_id: None,
                state: ProgrammeState::Replaced,
                replaced_by_id: Some(successor),
                ended_on: None,
                notes: String::new(),
                parties: parties(),
                items: Vec::new(),
            }).await?;
            tx.commit().await
        }
    })
    .await
}
