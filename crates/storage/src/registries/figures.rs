//! The figures the registers give to analytics: models new and replicated
//! (flows, by the year they started), models in operation and grassroots
//! organisations (stocks at the end of each year), and the number of
//! distinct model types (a distinct count over the subtree, never summed).
