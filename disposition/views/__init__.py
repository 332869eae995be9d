"""Back-office views (/kelola/), one module per part. Views stay thin: ``staff_view`` checks
who is asking, selectors read what that actor may see, forms validate, services act."""
