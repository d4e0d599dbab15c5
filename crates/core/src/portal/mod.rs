//! The public portal's news: topics, the editorial states of an article,
//! its body as blocks, its address (slug) and what an editor may type.

pub mod article;

use serde::Serialize;

/// The topics of the news (the portal's categories), in the order shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Topic {
    Movement,
    Conferences,
    Models,
    Awards,
    Documents,
    Warnings,
}

impl Topic {
    pub const ALL: [Topic; 6] = [
        Topic::Movement,
        Topic::Conferences,
        Topic::Models,
        Topic::Awards,
        Topic::Documents,
        Topic::Warnings,
    ];

    /// The code in addresses and the database.
    pub fn code(self) -> &'static str {
        match self {
            Topic::Movement => "phong-trao",
            Topic::Conferences => "so-ket-tong-ket",
            Topic::Models => "mo-hinh-dien-hinh",
            Topic::Awards => "khen-thuong",
            Topic::Documents => "van-ban-chinh-sach",
            Topic::Warnings => "canh-bao-toi-pham",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Topic::Movement => "Phong trào",
            Topic::Conferences => "Sơ kết, tổng kết",
            Topic::Models => "Mô hình, điển hình",
            Topic::Awards => "Khen thưởng",
            Topic::Documents => "Văn bản, chính sách",
            Topic::Warnings => "Cảnh báo tội phạm",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Topic::Movement => "The movement",
            Topic::Conferences => "Reviews and conferences",
            Topic::Models => "Models and examples",
            Topic::Awards => "Awards",
            Topic::Documents => "Documents and policy",
            Topic::Warnings => "Crime warnings",
        }
    }

    pub fn parse(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == code.trim())
    }
}

/// Where an article stands in the editorial workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ArticleState {
    /// Being written by the unit's editors.
    Draft,
    /// Sent to the reviewers.
    Submitted,
    /// Sent back by a reviewer with a reason.
    Returned,
    /// Approved, to appear at its publication time.
    Scheduled,
    /// On the portal.
    Published,
    /// Taken off the portal; the record is kept.
    Unpublished,
}

impl ArticleState {
    pub const ALL: [ArticleState; 6] = [
        ArticleState::Draft,
        ArticleState::Submitted,
        ArticleState::Returned,
        ArticleState::Scheduled,
        ArticleState::Published,
        ArticleState::Unpublished,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ArticleState::Draft => "draft",
            ArticleState::Submitted => "submitted",
            ArticleState::Returned => "returned",
            ArticleState::Scheduled => "scheduled",
            ArticleState::Published => "published",
            ArticleState::Unpublished => "unpublished",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            ArticleState::Draft => "Bản nháp",
            ArticleState::Submitted => "Chờ duyệt",
            ArticleState::Returned => "Bị trả lại",
            ArticleState::Scheduled => "Hẹn giờ đăng",
            ArticleState::Published => "Đã đăng",
            ArticleState::Unpublished => "Đã gỡ",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ArticleState::Draft => "Draft",
            ArticleState::Submitted => "Awaiting review",
            ArticleState::Returned => "Returned",
            ArticleState::Scheduled => "Scheduled",
            ArticleState::Published => "Published",
            ArticleState::Unpublished => "Unpublished",
        }
    }

    pub fn parse(code: &str) -> Option<ArticleState> {
        ArticleState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Editors may change the text (a published article is changed by a
    /// correction, which a reviewer makes).
    pub fn editable(self) -> bool {
        matches!(
            self,
            ArticleState::Draft | ArticleState::Returned | ArticleState::Unpublished
        )
    }
}
