"""The one Grid contract (grid.py) and its producers: files (xlsx.py), openpyxl workbooks, live Excel."""
