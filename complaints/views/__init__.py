"""The citizen website's views, one module per part of the site. Views stay thin: they fetch
what the visitor may see through selectors, validate with a form and act through services."""
