# attack: a syntax error
# verdict: crashed: SyntaxError
def broken(:
