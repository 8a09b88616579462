"""The monitoring's pages (DESIGN.md, "The year after publication"): the reports of the dirigenti
(``reports``), the Segreteria's periods and board and the NIV/OIV's queue (``board``), the plan's
dashboard with its charts (``dashboard``). Every page reads through the permission-filtered selectors
and writes through flows.services.monitoring."""
