//! Document references: kinds of documents and their number and symbol,
//! parsed and printed in the three patterns of Nghị định 30 and the Party's
//! rules (`124/2021/TT-BCA`, `510/QĐ-BCA-V05`, `09-CT/TW`), with the joint
//! programmes' `09/CTr-BCA-MTTW`, and the key under which aliases match.
//! (Owned by the documents work of issue 12.)
