// The report entry page: autosave, keeping typed values in the browser, qualifiers.
"use strict";
