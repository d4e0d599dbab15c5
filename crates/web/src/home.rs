//! The home page: the user's units, or a public introduction.

use antq_core::units::Level;
use askama::Template;
use axum::response::Response;

use crate::auth::MaybeUser;
use crate::error::PageResult;
use crate::pages::{render, Chrome};

pub struct GrantRow {
    pub role: &'static str,
    pub unit_name: String,
    pub unit_code: String,
    pub href: String,
    pub validity: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    grants: Vec<GrantRow>,
}

pub async fn home(c: Chrome, MaybeUser(user): MaybeUser) -> PageResult<Response> {
    let grants = user
        .map(|ctx| {
            ctx.actor
                .grants
                .iter()
                .map(|g| {
                    let at = g.unit_valid_to.clone().unwrap_or_default();
                    let href = if at.is_empty() {
                        format!("/don-vi/{}", g.unit_code)
                    } else {
                        format!("/don-vi/{}?at={at}", g.unit_code)
                    };
                    GrantRow {
                        role: c.role_label(g.role),
                        unit_name: if g.unit_level == Level::Nation {
                            c.t("units.country").to_string()
                        } else {
                            g.unit_name.clone()
                        },
                        unit_code: g.unit_code.clone(),
                        href,
                        validity: crate::units::pages::validity_text(
                            &c,
                            g.unit_valid_from.as_deref(),
                            g.unit_valid_to.as_deref(),
                        ),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    render(HomePage { c, grants })
}
