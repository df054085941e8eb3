"""Bounds on what check-report reads, so that a huge or hostile file cannot exhaust the machine."""

MAX_FILE_BYTES = 30 * 1024 * 1024  # a .docx/.pdf/.txt report larger than this is refused
MAX_TEXT_CHARS = 2_000_000  # text beyond this is refused rather than silently cut
MAX_PDF_PAGES = 400
MAX_BLOCKS = 50_000  # paragraphs + table cells
MAX_CELL_CHARS = 20_000
