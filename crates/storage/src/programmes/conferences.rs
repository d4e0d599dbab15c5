//! Conferences and events: organisers, attendees, the programmes reviewed
//! and plans signed, the reviews presented, photos, and the press draft.
//! (Owned by the conferences work of issue 12.)
