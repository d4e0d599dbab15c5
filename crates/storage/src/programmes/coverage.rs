//! The programme that covers a review's stage: the one in force for the
//! unit (its own plan, or the national programme it implements) whose stage
//! contains the review's years. (Owned by the reviews work of issue 12.)
