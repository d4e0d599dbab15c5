//! What the demo's tipsters wrote: deterministic, varied by the tip's
//! number, in every category.

use antq_core::tips::submission::NewTip;
use chrono::{Days, NaiveDate};

const CATEGORIES: [&str; 6] = [
    "ma_tuy",
    "tin_dung_den",
    "lua_dao_mang",
    "trom_cap",
    "antt_khu_dan_cu",
    "khac",
];

const DRUGS: [&str; 4] = [
    "Có người lạ thường xuyên đến một căn nhà trong xóm vào ban đêm, ở lại vài phút rồi đi, nghi mua bán ma túy.",
    "Tôi thấy một nhóm thanh niên tụ tập ở quán nước gần chợ, chuyền tay nhau gói nhỏ và hút chung.",
    "Trong vườn nhà hoang đầu ấp có trồng mấy cây lạ, nghi là cây cần sa.",
    "Một chiếc xe ô tô con hay dừng ở bãi đất trống lúc khuya, có người đến nhận hàng rồi đi ngay.",
];
const LOANS: [&str; 4] = [
    "Có nhóm người dán tờ rơi cho vay tiền nhanh không cần thế chấp khắp các cột điện trong khu phố.",
    "Hàng xóm tôi vay 10 triệu đồng, mỗi ngày phải trả 300 nghìn, trễ một ngày là bị gọi điện đe dọa.",
    "Đêm qua có người ném sơn và mắm tôm vào nhà một gia đình trong xóm để đòi nợ.",
    "Một ứng dụng cho vay trên điện thoại tự lấy danh bạ rồi nhắn tin bôi nhọ người vay với người thân.",
];
const SCAMS: [&str; 4] = [
    "Tôi nhận cuộc gọi của người xưng là công an, nói tôi liên quan đến một vụ rửa tiền và bắt chuyển tiền vào tài khoản để xác minh.",
    "Có người nhắn tin qua mạng xã hội mời làm cộng tác viên bán hàng online, phải nạp tiền trước rồi không rút được.",
    "Tôi nhận tin nhắn báo trúng thưởng, bấm vào đường dẫn thì bị yêu cầu nhập mã OTP của ngân hàng.",
    "Một người tự xưng nhân viên điện lực gọi điện đòi thanh toán tiền điện nợ qua ví điện tử, nếu không sẽ cắt điện.",
];
const THEFTS: [&str; 4] = [
    "Nhà tôi bị mất trộm xe máy để trước sân lúc gần sáng.",
    "Mấy đêm liền trong ấp bị mất gà, vịt; có người lạ chạy xe máy không biển số qua lại.",
    "Có người thu mua điện thoại cũ giá rẻ bất thường ở đầu chợ, nghi là đồ trộm cắp.",
    "Kho chứa lúa của gia đình tôi bị cạy khóa, mất khoảng 20 bao lúa.",
];
const ORDER: [&str; 4] = [
    "Tối thứ Bảy hằng tuần có nhóm thanh niên tụ tập đua xe trên đường đê, rất nguy hiểm.",
    "Một quán cà phê trong khu dân cư tổ chức đánh bạc ăn tiền vào buổi trưa.",
    "Nhà trọ đầu hẻm có nhiều người lạ đến ở mà không thấy khai báo tạm trú.",
    "Hai nhóm thanh niên thường xuyên gây gổ, đánh nhau ở khu vực bến xe.",
];
const OTHER: [&str; 4] = [
    "Đề nghị lắp thêm đèn chiếu sáng ở đoạn đường vào xóm vì buổi tối rất tối, dễ xảy ra trộm cắp.",
    "Có người tự xưng cán bộ đi từng nhà bán bình chữa cháy với giá rất cao, nói là bắt buộc phải mua.",
    "Khu vực bờ kênh có người đổ rác thải và xác động vật chết vào ban đêm.",
    "Tôi muốn báo một điểm thường xuyên tụ tập uống rượu gây ồn ào đến khuya.",
];

/// The category of the demo's tip number `i`.
pub fn category_of(i: usize) -> String {
    CATEGORIES[i % CATEGORIES.len()].to_string()
}

/// A tip of `category` about `code`, its text to fill.
pub fn base(category: &str, code: &str) -> NewTip {
    NewTip {
        category: category.into(),
        unit_code: code.into(),
        ..NewTip::default()
    }
}

fn pick<'a>(options: &[&'a str], i: usize) -> &'a str {
    options[i % options.len()]
}

fn pair(key: &str, value: &str) -> (String, String) {
    (key.to_string(), value.to_string())
}

/// Text and answers of tip `i` in its category.
fn written(category: &str, i: usize) -> (&'static str, Vec<(String, String)>) {
    let v = i / CATEGORIES.len();
    let seen = ["Một lần", "Vài lần", "Thường xuyên", "Không rõ"];
    match category {
        "ma_tuy" => (
            pick(&DRUGS, v),
            vec![
                pair(
                    "hoat_dong",
                    pick(
                        &[
                            "Mua bán",
                            "Tổ chức sử dụng",
                            "Trồng cây có chất ma túy",
                            "Tàng trữ, vận chuyển",
                        ],
                        v,
                    ),
                ),
                pair("tan_suat", pick(&seen, v)),
            ],
        ),
        "tin_dung_den" => (
            pick(&LOANS, v),
            vec![pair(
                "hanh_vi",
                pick(
                    &[
                        "Dán, rải tờ rơi cho vay",
                        "Cho vay lãi nặng",
                        "Đòi nợ bằng đe dọa, bạo lực",
                        "Cho vay qua ứng dụng",
                    ],
                    v,
                ),
            )],
        ),
        "lua_dao_mang" => (
            pick(&SCAMS, v),
            vec![
                pair(
                    "cach_lien_lac",
                    pick(&["Điện thoại", "Mạng xã hội", "Tin nhắn", "Điện thoại"], v),
                ),
                pair("so_tien", pick(&["", "5.000.000", "", "1.200.000"], v)),
            ],
        ),
        "trom_cap" => (
            pick(&THEFTS, v),
            vec![pair(
                "tai_san",
                pick(&["Xe máy", "Gia cầm", "Điện thoại di động", "Lúa"], v),
            )],
        ),
        "antt_khu_dan_cu" => (
            pick(&ORDER, v),
            vec![
                pair(
                    "van_de",
                    pick(
                        &[
                            "Tụ tập, đua xe",
                            "Đánh bạc",
                            "Người lạ cư trú không khai báo",
                            "Gây rối, đánh nhau",
                        ],
                        v,
                    ),
                ),
                pair("tan_suat", pick(&seen, v + 1)),
            ],
        ),
        _ => (
            pick(&OTHER, v),
            vec![pair(
                "da_bao_truoc",
                pick(&["Chưa", "Đã báo", "Không nhớ"], v),
            )],
        ),
    }
}

/// The demo's tip number `i`, about commune `code`, and the day it came
/// (spread over the past year).
pub fn ordinary(i: usize, code: &str, today: NaiveDate) -> (NewTip, NaiveDate) {
    let day = today - Days::new(((i * 53) % 365) as u64);
    let category = category_of(i);
    let (text, answers) = written(&category, i);
    let mut tip = base(&category, code);
    tip.text = text.into();
    tip.answers = answers.into_iter().filter(|(_, a)| !a.is_empty()).collect();
    if category == "lua_dao_mang" {
        // A number of its own for each such tip, and a fake site for some.
        tip.identifiers = vec![pair(
            "phone",
            &format!("09{:08}", (i * 7_919 + 1_234_567) % 100_000_000),
        )];
        if i % 4 == 2 {
            tip.identifiers
                .push(pair("web", "https://nhan-qua-tri-an.example.com/dang-ky"));
        }
    }
    if i % 5 == 0 {
        tip.happened = Some(
            pick(
                &[
                    "Tối qua",
                    "Khoảng một tuần trước",
                    "Gần như ngày nào cũng vậy",
                ],
                i,
            )
            .into(),
        );
    }
    (tip, day)
}

/// A report of the demo's scam number, as written in that commune.
pub fn scam_report(code: &str, phone: &str) -> NewTip {
    let mut tip = base("lua_dao_mang", code);
    tip.text =
        "Số điện thoại này gọi cho tôi, xưng là nhân viên ngân hàng, nói thẻ của tôi bị khóa \
        và đề nghị đọc mã OTP để mở lại."
            .into();
    tip.answers = vec![
        pair("cach_lien_lac", "Điện thoại"),
        pair("thu_doan", "Giả danh nhân viên ngân hàng, đòi mã OTP."),
    ];
    tip.identifiers = vec![pair("phone", phone)];
    tip
}

/// The tip about a commune's own police (Mường Phăng), for the province.
pub fn about_local_police() -> NewTip {
    let mut tip = base("khac", super::CONCERNS_COMMUNE);
    tip.text = "Một số cán bộ công an xã thường xuyên có mặt ở điểm đánh bạc tại bản, \
        nghi nhận tiền để làm ngơ, nên tôi không dám báo với công an xã."
        .into();
    tip.answers = vec![pair("da_bao_truoc", "Chưa")];
    tip.concerns_local_officers = true;
    tip
}
