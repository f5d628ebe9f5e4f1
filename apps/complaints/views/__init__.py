"""Pages of the complaints app: staff pages (behind a permission each) and the public
report and tracking pages (no login, rate-limited)."""
