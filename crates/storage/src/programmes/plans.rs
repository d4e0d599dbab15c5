//! Coordination programmes and plans: their document, parties, stage,
//! what they implement, content items and state.
//! (Owned by the documents work of issue 12.)
