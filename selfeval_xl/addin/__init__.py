"""The Excel add-in: ribbon, VBA project build (MS-OVBA, CFB), the workbook port and the button actions."""
