"""Writing workbooks: styles, the templates, the 评分表, the export; outputs written atomically."""
