from selfeval_xl.cli import run

run()
