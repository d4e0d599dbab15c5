//! Synthetic published articles for benchmarks (`antq bench portal`):
//! Vietnamese headlines and paragraphs made from the movement's words,
//! spread over today's provinces, topics and the last years. Written in
//! batches without audit rows (a benchmark database, never a real one).

use antq_core::portal::article::slug;
use antq_core::portal::Topic;
use antq_core::text::fold;

use crate::db::Db;
use crate::error::StorageResult;

const SUBJECTS: &[&str] = &[
    "Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
    "mô hình Camera an ninh",
    "Tổ an ninh trật tự cơ sở",
    "phong trào Toàn dân bảo vệ an ninh Tổ quốc",
    "Chương trình phối hợp số 09",
    "khu dân cư an toàn về an ninh, trật tự",
    "cảnh báo lừa đảo qua mạng",
    "giáo dục, cảm hóa người lầm lỗi",
    "tổ tự quản về an ninh trật tự",
    "dòng họ, tộc họ không có tội phạm",
];
const VERBS: &[&str] = &[
    "sơ kết",
    "tổng kết",
    "ra mắt",
    "nhân rộng",
    "khen thưởng",
    "phát động",
    "tập huấn",
    "tuyên truyền",
];
const SENTENCES: &[&str] = &[
    "Thời gian qua, cấp ủy, chính quyền và Mặt trận Tổ quốc các cấp đã phối hợp chặt chẽ với lực lượng Công an trong triển khai phong trào.",
    "Nhiều mô hình tự quản về an ninh, trật tự được duy trì và nhân rộng, góp phần giữ vững an ninh chính trị, trật tự an toàn xã hội ở cơ sở.",
    "Quần chúng nhân dân đã cung cấp hàng nghìn nguồn tin có giá trị giúp lực lượng Công an phát hiện, xử lý kịp thời các vụ việc.",
    "Công tác tuyên truyền được đổi mới về nội dung và hình thức, thu hút đông đảo người dân tham gia.",
    "Hội nghị đề ra phương hướng, nhiệm vụ trọng tâm trong giai đoạn tới, trong đó chú trọng xây dựng lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở.",
    "Dịp này, nhiều tập thể và cá nhân có thành tích xuất sắc được khen thưởng.",
    "Đại diện Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh đánh giá cao sự phối hợp giữa các lực lượng.",
    "Người có uy tín trong đồng bào dân tộc thiểu số tích cực vận động bà con chấp hành tốt chủ trương, chính sách của Đảng, pháp luật của Nhà nước.",
];

/// A generator of reproducible choices.
struct Pick(u64);

impl Pick {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn of<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

/// A Vietnamese headline and body (for the search benchmark too).
pub fn text(n: usize, place: &str) -> (String, String, String) {
    let mut p = Pick(n as u64 + 17);
    let headline = format!(
        "{place}: {} {} (số {n})",
        capital(p.of(VERBS)),
        p.of(SUBJECTS)
    );
    let lead = format!("{} {}", p.of(SENTENCES), p.of(SENTENCES));
    let body = (0..5)
        .map(|_| {
            format!(
                "{} {} {}",
                p.of(SENTENCES),
                p.of(SENTENCES),
                p.of(SENTENCES)
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    (headline, lead, body)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Insert `count` published articles; returns how many there are in all.
pub async fn articles(db: &Db, count: usize) -> StorageResult<i64> {
    let provinces: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, code, name FROM units WHERE level = 'province' AND valid_to IS NULL ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?;
    let start: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(db.pool())
        .await?;
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.begin_unaudited().await?;
        for &i in chunk {
            let n = start as usize + i + 1;
            let (unit, code, name) = &provinces[n % provinces.len()];
            let place = name
                .trim_start_matches("Tỉnh ")
                .trim_start_matches("Thành phố ");
            let (headline, lead, body) = text(n, place);
            let topic = Topic::ALL[n % Topic::ALL.len()];
            let day = 1 + (n % 28);
            let month = 1 + (n / 28) % 12;
            let year = 2021 + (n / 336) % 6;
            let at = format!("{year}-{month:02}-{day:02}T02:{:02}:00.000000Z", n % 60);
            sqlx::query(
                "INSERT INTO articles (slug, unit_id, headline, lead, body, author_line, topic, \
                 place_unit_id, province_code, tags, state, published_at, search_key, \
                 created_by, created_at, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'T.L tổng hợp', $6, $2, $7, '', 'published', $8, $9, \
                 'bench', $8, 'bench', $8)",
            )
            .bind(format!("{}-{n}", slug(&headline)))
            .bind(unit)
            .bind(&headline)
            .bind(&lead)
            .bind(&body)
            .bind(topic.code())
            .bind(code)
            .bind(&at)
            .bind(fold(&format!("{headline} {lead}")))
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await?;
    }
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(db.pool())
        .await?)
}
