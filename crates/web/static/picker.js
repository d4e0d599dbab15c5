// The unit picker: a type-ahead by name over the unit search.
"use strict";
