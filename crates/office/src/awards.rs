//! Award decisions on paper and in Excel: the printable list of recipients of a decision (Nghị định 30 layout) and the award register in and out. (Owned by the awards work of issue 12.)
