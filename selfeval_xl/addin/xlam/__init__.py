"""Building selfeval.xlam without Excel: the MS-OVBA codec, a compound-file writer, the VBA project rewrite."""
