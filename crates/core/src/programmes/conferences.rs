//! Conferences and events: their kinds, and the press item drafted from a
//! conference in the portal's style. (Owned by the conferences work of issue 12.)
