"""Moving data in and out: the JSON exchange format, vCard, CSV and Markdown."""
