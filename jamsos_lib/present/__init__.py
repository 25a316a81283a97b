"""What a person reads: Indonesian number formats, tables and charts for reports."""
