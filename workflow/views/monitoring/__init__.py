"""The monitoring's pages (DESIGN.md, "The year after publication"): the reports of the dirigenti
(``reports``, ``report_models``), the Segreteria's periods (``periods``) and board with the NIV/OIV's queue
(``board``), the body's measurement rules (``smvp``), the plan's dashboard with its charts (``dashboard``,
``dashboard_models``); ``common`` holds what the Segreteria's pages share. Every page reads through the
permission-filtered selectors and writes through flows.services.monitoring."""
