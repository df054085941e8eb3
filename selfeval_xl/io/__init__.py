"""I/O at the edges: reading (calamine + sheet XML), annotating (openpyxl), writing (xlsxwriter)."""
