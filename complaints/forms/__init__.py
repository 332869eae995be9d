"""Forms of the citizen website, one module per part (report, tracking, accounts, public)."""
