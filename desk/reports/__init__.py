"""Day and week statistics: the numbers (stats), and their PDF, CSV and XLSX forms."""
