//! Realistic Vietnamese text, generated (never copied): the demo's full
//! texts of the movement's instruments and the benchmark's 100.000
//! documents and articles. Deterministic for a seed.

use super::Item;
use crate::portal::changes::ItemKind;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "Công an các đơn vị, địa phương",
    "Ủy ban Mặt trận Tổ quốc Việt Nam các cấp",
    "Ban Công tác Mặt trận ở khu dân cư",
    "các tổ chức chính trị - xã hội",
    "lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
    "cấp ủy, chính quyền địa phương",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Hội Cựu chiến binh và Hội Phụ nữ",
    "người có uy tín trong đồng bào dân tộc thiểu số",
];

const ACTIONS: &[&str] = &[
    "phối hợp tuyên truyền, vận động nhân dân",
    "xây dựng và nhân rộng các mô hình tự quản",
    "tổ chức sơ kết, tổng kết, khen thưởng kịp thời",
    "nâng cao chất lượng phong trào toàn dân bảo vệ an ninh Tổ quốc",
    "đấu tranh phòng, chống tội phạm và tệ nạn xã hội",
    "giữ gìn trật tự, an toàn xã hội ở địa bàn dân cư",
    "phát hiện, cung cấp thông tin về tội phạm cho cơ quan Công an",
    "tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc ngày 19 tháng 8",
    "kiện toàn tổ, đội quần chúng bảo vệ an ninh, trật tự",
    "đánh giá, phân loại phong trào theo tiêu chí",
    "xây dựng khu dân cư, xã, phường, thị trấn đạt tiêu chuẩn an toàn về an ninh, trật tự",
    "phòng ngừa lừa đảo trên không gian mạng",
];

const PLACES: &[&str] = &[
    "tỉnh Điện Biên",
    "tỉnh Đồng Tháp",
    "xã Mường Phăng",
    "phường Điện Biên Phủ",
    "vùng biên giới",
    "khu dân cư",
    "các xã vùng sâu, vùng xa",
    "đồng bằng sông Cửu Long",
    "Tây Bắc",
];

const PROVINCES: &[&str] = &[
    "Hà Nội",
    "Hải Phòng",
    "Huế",
    "Đà Nẵng",
    "Cần Thơ",
    "Thành phố Hồ Chí Minh",
    "Cao Bằng",
    "Điện Biên",
    "Hà Tĩnh",
    "Lai Châu",
    "Lạng Sơn",
    "Nghệ An",
    "Quảng Ninh",
    "Thanh Hóa",
    "Sơn La",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Ninh Bình",
    "Quảng Trị",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Đồng Nai",
    "Tây Ninh",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];

const DETAILS: &[&str] = &[
    "camera giám sát an ninh",
    "tổ tự quản đường làng",
    "câu lạc bộ phòng, chống ma túy",
    "mô hình \u{201C}Khu dân cư không tội phạm\u{201D}",
    "tổ hòa giải ở cơ sở",
    "nhóm Zalo an ninh thôn bản",
    "đội phản ứng nhanh",
    "điểm tiếp nhận tin báo",
    "tổ liên gia tự quản",
    "chốt dân phòng",
    "buổi nói chuyện chuyên đề",
    "hội nghị đối thoại với nhân dân",
    "lớp bồi dưỡng nghiệp vụ",
    "cuộc thi tìm hiểu pháp luật",
    "tháng cao điểm tấn công trấn áp tội phạm",
    "đợt tổng kiểm tra cư trú",
    "phần mềm quản lý lưu trú",
    "hòm thư tố giác",
    "đêm văn nghệ quần chúng",
    "giải bóng chuyền hơi",
    "lễ ra mắt tổ an ninh xung kích",
    "vườn cây tự quản",
];

const RESULTS: &[&str] = &[
    "góp phần giữ vững ổn định chính trị",
    "tạo chuyển biến rõ nét về an ninh, trật tự",
    "tỷ lệ khu dân cư đạt tiêu chuẩn an toàn tăng",
    "nhiều tập thể, cá nhân được khen thưởng",
    "số vụ phạm pháp hình sự giảm",
    "quần chúng tích cực tham gia tố giác tội phạm",
];

const TOPICS: &[&str] = &[
    "Phong trào",
    "An ninh cơ sở",
    "Gương điển hình",
    "Hội nghị",
    "Văn bản mới",
];

/// One sentence of the movement's prose.
pub fn sentence(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!(
            "{} {} tại {}.",
            capital(rng.pick(SUBJECTS)),
            rng.pick(ACTIONS),
            rng.pick(PLACES)
        ),
        1 => format!(
            "Thông qua việc {}, {}.",
            rng.pick(ACTIONS),
            rng.pick(RESULTS)
        ),
        2 => format!(
            "Năm {}, {} đã {}, {}.",
            2013 + rng.below(13),
            rng.pick(SUBJECTS),
            rng.pick(ACTIONS),
            rng.pick(RESULTS)
        ),
        3 => format!(
            "Tại tỉnh {}, {} với {} người tham gia đã {}.",
            rng.pick(PROVINCES),
            rng.pick(DETAILS),
            1 + rng.below(500),
            rng.pick(RESULTS)
        ),
        4 => format!(
            "Đề nghị {} tiếp tục {} và {}.",
            rng.pick(SUBJECTS),
            rng.pick(ACTIONS),
            rng.pick(ACTIONS)
        ),
        _ => format!(
            "Ở {} và {}, {} được duy trì thường xuyên, {}.",
            rng.pick(PROVINCES),
            rng.pick(PROVINCES),
            rng.pick(DETAILS),
            rng.pick(RESULTS)
        ),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A paragraph of `n` sentences.
pub fn paragraph(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

/// The generated full text of a document: its heading, the grounds, and
/// articles ("Điều 1. …") of generated prose.
pub fn document_text(
    seed: u64,
    issuers: &[String],
    title: &str,
    subject: &str,
    grounds: &[String],
) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut out = vec![
        issuers.join(" – ").to_uppercase(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM – Độc lập – Tự do – Hạnh phúc".into(),
        title.to_string(),
        subject.to_string(),
    ];
    for g in grounds {
        out.push(format!("Căn cứ {g};"));
    }
    let heads = [
        "Mục đích, yêu cầu",
        "Nội dung phối hợp",
        "Trách nhiệm của các bên",
        "Tổ chức thực hiện",
    ];
    for (i, h) in heads.iter().enumerate() {
        out.push(format!("Điều {}. {h}", i + 1));
        for _ in 0..2 {
            let n = 2 + rng.below(3);
            out.push(paragraph(&mut rng, n));
        }
    }
    out.push(
        "Văn bản này là văn bản mẫu do antq tạo cho bản trình diễn, không phải nguyên văn.".into(),
    );
    out
}

/// `n` benchmark items: two documents for each article, the documents with
/// references ("123/2019/QĐ-UBND"), the articles with headlines and leads.
pub fn bench_items(n: usize, seed: u64) -> Vec<Item> {
    let kinds = [
        ("quyet_dinh", "Quyết định", "QĐ-UBND"),
        ("ke_hoach", "Kế hoạch", "KH-UBND"),
        ("huong_dan", "Hướng dẫn", "HD-CA"),
        ("chuong_trinh", "Chương trình phối hợp", "CTr-CA-MTTQ"),
        ("bao_cao", "Báo cáo", "BC-MTTQ"),
    ];
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let id = i as i64 + 1;
            let year = 2005 + rng.below(21) as i64;
            if i % 3 == 2 {
                let headline = format!(
                    "{}: {} {}",
                    rng.pick(PROVINCES),
                    capital(rng.pick(DETAILS)),
                    rng.pick(RESULTS)
                );
                let n = 3 + rng.below(4);
                let body = (0..n)
                    .map(|_| {
                        let k = 3 + rng.below(3);
                        paragraph(&mut rng, k)
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n");
                Item {
                    kind: ItemKind::Article,
                    id,
                    title: headline,
                    lead: paragraph(&mut rng, 2),
                    body,
                    url: format!("/tin-tuc/bai-{id}"),
                    date: Some(format!("{year}-0{}-1{}", 1 + rng.below(9), rng.below(10))),
                    meta: rng.pick(TOPICS).to_string(),
                    references: Vec::new(),
                    doc_kind: None,
                    issuers: Vec::new(),
                    year: Some(year),
                    in_force: None,
                }
            } else {
                let (code, word, symbol) = kinds[rng.below(kinds.len())];
                let reference = format!("{}/{year}/{symbol}", 1 + rng.below(2_000));
                let issuer = format!("Ủy ban nhân dân tỉnh {}", rng.pick(PROVINCES));
                let subject = format!("Về việc {} {}", rng.pick(ACTIONS), rng.pick(PLACES));
                let n = 2 + rng.below(4);
                let body = (0..n)
                    .map(|_| {
                        let k = 3 + rng.below(4);
                        paragraph(&mut rng, k)
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n");
                Item {
                    kind: ItemKind::Document,
                    id,
                    title: format!("{word} số {reference}"),
                    lead: subject,
                    body,
                    url: format!("/van-ban-cong-khai/{id}"),
                    date: Some(format!("{year}-1{}-0{}", rng.below(3), 1 + rng.below(9))),
                    meta: issuer.clone(),
                    references: vec![reference],
                    doc_kind: Some(code.into()),
                    issuers: vec![issuer],
                    year: Some(year),
                    in_force: Some(rng.below(5) > 0),
                }
            }
        })
        .collect()
}

/// Vietnamese queries for the benchmark: words with and without accents,
/// phrases, references.
pub const BENCH_QUERIES: &[&str] = &[
    "an ninh to quoc",
    "an ninh Tổ quốc",
    "phong trào toàn dân",
    "\"khu dân cư\"",
    "dien bien",
    "Đồng Tháp khen thưởng",
    "to giac toi pham",
    "lừa đảo không gian mạng",
    "ngay hoi toan dan",
    "mô hình tự quản",
    "12/2019",
    "camera giam sat",
    "Lâm Đồng hòa giải",
    "chuong trinh phoi hop",
    "\"an toàn về an ninh, trật tự\"",
    "biên giới",
    "uy ban nhan dan tinh dong thap",
];
