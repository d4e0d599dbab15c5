//! The tables behind [`super::identifiers`]: Vietnamese banks and their
//! short codes, e-wallet providers, social networks. Names are matched by
//! their *compact key*: folded (lowercase, no tones, `đ`→`d`), generic words
//! ("ngân hàng", "TMCP", "thương mại cổ phần", a trailing "Việt Nam")
//! dropped, then letters and digits only.

use crate::text::fold;

/// The longest compact key kept for a bank or provider not in the tables.
pub const MAX_UNKNOWN_KEY: usize = 60;

/// The main banks: short code, then the compact keys that name it.
pub static BANKS: &[(&str, &[&str])] = &[
    ("VCB", &["vcb", "vietcombank", "ngoaithuong"]),
    ("BIDV", &["bidv", "dautuvaphattrien", "dautuphattrien"]),
    ("CTG", &["ctg", "vietinbank", "vietin", "congthuong"]),
    (
        "AGR",
        &[
            "agr",
            "agribank",
            "nongnghiep",
            "nongnghiepvaphattriennongthon",
        ],
    ),
    ("TCB", &["tcb", "techcombank", "techcom", "kythuong"]),
    ("MB", &["mb", "mbbank", "quandoi"]),
    ("ACB", &["acb", "achau"]),
    ("VPB", &["vpb", "vpbank", "vietnamthinhvuong"]),
    ("TPB", &["tpb", "tpbank", "tienphong"]),
    ("STB", &["stb", "sacombank", "saigonthuongtin"]),
    ("SHB", &["shb", "saigonhanoi"]),
    (
        "HDB",
        &[
            "hdb",
            "hdbank",
            "phattrienthanhphohochiminh",
            "phattrientphcm",
        ],
    ),
    ("VIB", &["vib", "quocte"]),
    ("MSB", &["msb", "maritimebank", "hanghai"]),
    ("OCB", &["ocb", "phuongdong"]),
    ("EIB", &["eib", "eximbank", "xuatnhapkhau"]),
    ("SCB", &["scb", "saigon"]),
    (
        "LPB",
        &[
            "lpb",
            "lpbank",
            "lienvietpostbank",
            "buudienlienviet",
            "locphat",
        ],
    ),
    ("SEAB", &["seab", "seabank", "dongnama"]),
    ("NAB", &["nab", "namabank", "nama"]),
];

/// E-wallet providers: stored code, display name, compact keys.
pub static WALLETS: &[(&str, &str, &[&str])] = &[
    ("momo", "MoMo", &["momo", "vimomo"]),
    ("zalopay", "ZaloPay", &["zalopay", "zlp"]),
    (
        "viettelmoney",
        "Viettel Money",
        &["viettelmoney", "viettelpay", "viettel"],
    ),
    ("vnpay", "VNPay", &["vnpay", "vnpayqr"]),
    ("shopeepay", "ShopeePay", &["shopeepay", "airpay"]),
];

/// Social networks: stored code, the compact keys of their names, their
/// web hosts (without `www.`).
pub static SOCIALS: &[(&str, &[&str], &[&str])] = &[
    (
        "facebook",
        &["facebook", "fb", "face"],
        &[
            "facebook.com",
            "fb.com",
            "m.facebook.com",
            "web.facebook.com",
            "fb.me",
        ],
    ),
    ("zalo", &["zalo"], &["zalo.me", "chat.zalo.me"]),
    (
        "telegram",
        &["telegram", "tele", "tg"],
        &["t.me", "telegram.me"],
    ),
    ("tiktok", &["tiktok"], &["tiktok.com", "vt.tiktok.com"]),
    ("instagram", &["instagram", "ig"], &["instagram.com"]),
    ("youtube", &["youtube"], &["youtube.com"]),
    ("x", &["twitter", "x"], &["twitter.com", "x.com"]),
];

/// The compact key of a bank's or provider's name.
pub fn compact_key(name: &str) -> String {
    let mut f = fold(name);
    for generic in [
        "ngan hang thuong mai co phan",
        "ngan hang tmcp",
        "ngan hang",
        "nh tmcp",
        "thuong mai co phan",
        "tmcp",
    ] {
        if let Some(rest) = f.strip_prefix(generic) {
            f = rest.trim().to_string();
            break;
        }
    }
    for tail in [" viet nam", " vietnam", " vn"] {
        if let Some(rest) = f.strip_suffix(tail) {
            f = rest.trim().to_string();
        }
    }
    if let Some(rest) = f.strip_prefix("nh ") {
        f = rest.to_string();
    }
    f.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The short code of a bank, or `None` when the name is not in [`BANKS`].
pub fn bank_code(name: &str) -> Option<&'static str> {
    let key = compact_key(name);
    BANKS
        .iter()
        .find(|(_, keys)| keys.contains(&key.as_str()))
        .map(|(code, _)| *code)
}

/// The wallet provider (code, display name) a name stands for.
pub fn wallet(name: &str) -> Option<(&'static str, &'static str)> {
    let key = compact_key(name);
    WALLETS
        .iter()
        .find(|(_, _, keys)| keys.contains(&key.as_str()))
        .map(|(code, display, _)| (*code, *display))
}

/// The display name of a stored wallet code (the code itself if unknown).
pub fn wallet_display(code: &str) -> &str {
    WALLETS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(code, |(_, display, _)| display)
}

/// The social network a word names ("Facebook", "fb", "Zalo").
pub fn social_by_name(word: &str) -> Option<&'static str> {
    let key = compact_key(word);
    SOCIALS
        .iter()
        .find(|(_, names, _)| names.contains(&key.as_str()))
        .map(|(code, _, _)| *code)
}

/// The social network a web host belongs to (`www.` already removed).
pub fn social_by_host(host: &str) -> Option<&'static str> {
    SOCIALS
        .iter()
        .find(|(_, _, hosts)| hosts.contains(&host))
        .map(|(code, _, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_names_map_to_codes() {
        assert_eq!(bank_code("Vietcombank"), Some("VCB"));
        assert_eq!(bank_code("VCB"), Some("VCB"));
        assert_eq!(bank_code("Ngân hàng Ngoại thương"), Some("VCB"));
        assert_eq!(bank_code("NGAN HANG NGOAI THUONG VIET NAM"), Some("VCB"));
        assert_eq!(bank_code("Ngân hàng TMCP Kỹ Thương Việt Nam"), Some("TCB"));
        assert_eq!(bank_code("MB Bank"), Some("MB"));
        assert_eq!(bank_code("Quân đội"), Some("MB"));
        assert_eq!(
            bank_code("Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
            Some("AGR")
        );
        assert_eq!(bank_code("Sài Gòn Thương Tín"), Some("STB"));
        assert_eq!(bank_code("Sài Gòn - Hà Nội"), Some("SHB"));
        assert_eq!(bank_code("Đông Nam Á"), Some("SEAB"));
        assert_eq!(bank_code("Nam Á"), Some("NAB"));
        assert_eq!(bank_code("Nam A Bank"), Some("NAB"));
        assert_eq!(bank_code("Bưu điện Liên Việt"), Some("LPB"));
        assert_eq!(bank_code("Ngân hàng Cake"), None);
        // Every code of the table is found by itself.
        for (code, _) in BANKS {
            assert_eq!(bank_code(code), Some(*code), "{code}");
        }
    }

    #[test]
    fn wallets_and_socials() {
        assert_eq!(wallet("Ví MoMo"), Some(("momo", "MoMo")));
        assert_eq!(
            wallet("ViettelPay"),
            Some(("viettelmoney", "Viettel Money"))
        );
        assert_eq!(
            wallet("Viettel Money"),
            Some(("viettelmoney", "Viettel Money"))
        );
        assert_eq!(wallet("Zalo Pay"), Some(("zalopay", "ZaloPay")));
        assert_eq!(wallet("Paypal"), None);
        assert_eq!(wallet_display("shopeepay"), "ShopeePay");
        assert_eq!(wallet_display("paypal"), "paypal");
        assert_eq!(social_by_name("Facebook"), Some("facebook"));
        assert_eq!(social_by_name("FB"), Some("facebook"));
        assert_eq!(social_by_name("Zalo"), Some("zalo"));
        assert_eq!(social_by_name("số"), None);
        assert_eq!(social_by_host("t.me"), Some("telegram"));
        assert_eq!(social_by_host("example.com"), None);
    }
}
