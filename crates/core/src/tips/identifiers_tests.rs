//! Tests of [`super`]: normal forms and masks of each kind.

use super::*;

fn norm(kind: IdentifierKind, raw: &str) -> String {
    normalize(kind, raw)
        .unwrap_or_else(|e| panic!("{raw:?}: {e}"))
        .value
}

fn err(kind: IdentifierKind, raw: &str) -> String {
    normalize(kind, raw).unwrap_err().to_string()
}

#[test]
fn kinds_round_trip() {
    for k in IdentifierKind::ALL {
        assert_eq!(k.as_str().parse::<IdentifierKind>().unwrap(), k);
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.as_str())
        );
    }
    assert_eq!(
        IdentifierKind::BankAccount.label_vi(),
        "Tài khoản ngân hàng"
    );
    assert_eq!(IdentifierKind::Wallet.label_vi(), "Ví điện tử");
    assert!("email".parse::<IdentifierKind>().is_err());
}

#[test]
fn phones_written_differently_are_one_number() {
    use IdentifierKind::Phone;
    for raw in [
        "+84 912 345 678",
        "0912.345.678",
        "84912345678",
        "0084 912 345 678",
        "(+84) 912-345-678",
        "0912345678",
        " 0912 345 678 ",
    ] {
        assert_eq!(norm(Phone, raw), "0912345678", "{raw}");
    }
    assert_eq!(norm(Phone, "0386 123 456"), "0386123456");
    assert_eq!(norm(Phone, "024 3825 1234"), "02438251234");
    assert_eq!(norm(Phone, "+84 24 3825 1234"), "02438251234");
}

#[test]
fn bad_phones_are_refused_without_repeating_them() {
    use IdentifierKind::Phone;
    let e = err(Phone, "0123456789");
    assert!(
        e.starts_with("Số điện thoại không hợp lệ: số di động có 10 chữ số"),
        "{e}"
    );
    assert!(!e.contains("0123456789"));
    assert!(normalize(Phone, "091234567").is_err());
    assert!(normalize(Phone, "09123456789").is_err());
    assert!(normalize(Phone, "0912abc678").is_err());
    assert_eq!(err(Phone, "   "), "Số điện thoại còn trống");
    let long = "9".repeat(301);
    assert!(err(Phone, &long).contains("vượt giới hạn 300 ký tự"));
    assert!(err(Phone, "0912\u{202e}345678").contains("không in được"));
}

#[test]
fn bank_accounts_by_name_or_code() {
    use IdentifierKind::BankAccount;
    for raw in [
        "Vietcombank 0123 456 789",
        "VCB - 0123456789",
        "Ngân hàng Ngoại thương 0123456789",
        "NGAN HANG NGOAI THUONG: 0123.456.789",
        "0123456789 Vietcombank",
    ] {
        assert_eq!(norm(BankAccount, raw), "VCB:0123456789", "{raw}");
    }
    assert_eq!(norm(BankAccount, "MB Bank 9704 2299 88"), "MB:9704229988");
    assert_eq!(norm(BankAccount, "Ngân hàng Cake 1234567"), "cake:1234567");
    assert_eq!(
        normalize_bank("Techcombank", "1903 5555 1234")
            .unwrap()
            .value,
        "TCB:190355551234"
    );
    assert!(err(BankAccount, "0123456789").contains("xin ghi tên ngân hàng"));
    assert!(err(BankAccount, "Vietcombank").contains("thiếu số tài khoản"));
    assert!(err(BankAccount, "VCB 12345").contains("từ 6 đến 19 chữ số"));
    assert!(normalize(BankAccount, "VCB 12345678901234567890").is_err());
    assert!(normalize_bank("VCB", "12ab5678").is_err());
}

#[test]
fn web_addresses_keep_host_and_path() {
    use IdentifierKind::Web;
    for raw in [
        "https://www.Lua-Dao.vn/",
        "http://lua-dao.vn:80",
        "lua-dao.vn",
        "HTTPS://user:pass@www.lua-dao.vn:443/?ref=abc#top",
    ] {
        assert_eq!(norm(Web, raw), "lua-dao.vn", "{raw}");
    }
    assert_eq!(
        norm(Web, "https://lua-dao.vn/nhan-thuong/?id=1"),
        "lua-dao.vn/nhan-thuong"
    );
    assert_eq!(norm(Web, "lua-dao.vn:8080/a"), "lua-dao.vn:8080/a");
    assert!(err(Web, "localhost").contains("ten-mien.vn"));
    assert!(normalize(Web, "https://").is_err());
    assert!(normalize(Web, "a..vn").is_err());
    assert!(normalize(Web, "lua-dao.vn/có dấu cách").is_err());
}

#[test]
fn social_accounts_as_platform_and_handle() {
    use IdentifierKind::Social;
    let cases = [
        ("facebook.com/ten.nguoi", "facebook:ten.nguoi"),
        ("fb.com/Ten.Nguoi", "facebook:ten.nguoi"),
        ("https://m.facebook.com/ten.nguoi/", "facebook:ten.nguoi"),
        (
            "https://www.facebook.com/profile.php?id=1000123",
            "facebook:id=1000123",
        ),
        ("zalo 0912345678", "zalo:0912345678"),
        ("Zalo: +84 912345678", "zalo:0912345678"),
        ("https://zalo.me/0912345678", "zalo:0912345678"),
        ("t.me/abc", "telegram:abc"),
        ("@abc tiktok", "tiktok:abc"),
        ("https://www.tiktok.com/@Abc", "tiktok:abc"),
        ("Facebook ten.nguoi", "facebook:ten.nguoi"),
        (
            "https://www.facebook.com/people/Ten-Nguoi/100012345/",
            "facebook:id=100012345",
        ),
        (
            "facebook.com/groups/vaytien24h",
            "facebook:group=vaytien24h",
        ),
    ];
    for (raw, want) in cases {
        assert_eq!(norm(Social, raw), want, "{raw}");
    }
    assert!(err(Social, "ten.nguoi").contains("xin ghi rõ mạng xã hội"));
    assert!(err(Social, "facebook hai tên").contains("một tên tài khoản"));
    assert!(normalize(Social, "https://facebook.com/").is_err());
    assert!(err(Social, "facebook.com/profile.php").contains("thiếu mã số"));
}

#[test]
fn wallets_as_provider_and_account() {
    use IdentifierKind::Wallet;
    for raw in [
        "MoMo 0912 345 678",
        "Ví MoMo: +84912345678",
        "momo - 0912.345.678",
    ] {
        assert_eq!(norm(Wallet, raw), "momo:0912345678", "{raw}");
    }
    assert_eq!(
        norm(Wallet, "ViettelPay 0386123456"),
        "viettelmoney:0386123456"
    );
    assert_eq!(
        norm(Wallet, "Viettel Money 0386123456"),
        "viettelmoney:0386123456"
    );
    assert_eq!(norm(Wallet, "VNPay 12345678"), "vnpay:12345678");
    assert!(err(Wallet, "0912345678").contains("xin ghi tên ví"));
    assert!(normalize(Wallet, "MoMo 12").is_err());
}

#[test]
fn masks_show_only_enough_to_recognise_a_cluster() {
    let m = |k, raw| mask(&normalize(k, raw).unwrap());
    use IdentifierKind::*;
    assert_eq!(m(Phone, "+84 912 345 678"), "09x xxx x678");
    assert_eq!(m(Phone, "024 3825 1234"), "02x xxx xx234");
    assert_eq!(m(BankAccount, "VCB 0123456789"), "VCB ••••6789");
    assert_eq!(m(Web, "https://lua-dao.vn/nhan-thuong"), "lua-dao.vn/…");
    assert_eq!(m(Web, "lua-dao.vn"), "lua-dao.vn");
    assert_eq!(m(Social, "facebook.com/ten.nguoi"), "facebook:te…");
    assert_eq!(m(Wallet, "MoMo 0912345678"), "MoMo 09x xxx x678");
    assert_eq!(m(Wallet, "VNPay 12345678"), "VNPay ••••5678");
    // No mask shows a whole number.
    for (k, raw) in [(Phone, "0912345678"), (BankAccount, "VCB 0123456789")] {
        assert!(!m(k, raw).contains("0912345678"));
        assert!(!m(k, raw).contains("0123456789"));
    }
}

#[test]
fn identifiers_serialise_as_kind_and_value() {
    let id = normalize(IdentifierKind::Phone, "0912 345 678").unwrap();
    assert_eq!(
        serde_json::to_string(&id).unwrap(),
        r#"{"kind":"phone","value":"0912345678"}"#
    );
}
