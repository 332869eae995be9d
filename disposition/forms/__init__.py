"""Forms of the back-office (/kelola/), one module per part."""
