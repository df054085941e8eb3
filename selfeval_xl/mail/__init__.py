"""Sending the finished workbook: the message, the password, and three ways out (SMTP, .eml, Outlook)."""
