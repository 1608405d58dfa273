package gofmt

import (
	"go/ast"
	"go/token"
)

// bodyPrinter lays out a function body as go/printer does, for the statements and
// expressions it knows; anything else clears ok and the body is left to go/printer.
// Each method mirrors the go/printer function of the same name (expr0 its expr1), for
// one-line statements and expressions only: where go/printer consults source line breaks,
// the body has none.
type bodyPrinter struct {
	tf   *token.File
	out  []byte
	last token.Token // last token written; token.ILLEGAL after white space
	ok   bool
}

// printBody returns the layout of b, from "{" to "}", at top-level indentation.
func printBody(tf *token.File, b *ast.BlockStmt) ([]byte, bool) {
	p := &bodyPrinter{tf: tf, ok: true, out: make([]byte, 0, int(b.Rbrace-b.Lbrace)+2)}
	p.block(b, 0)
	return p.out, p.ok
}

// line is the line of pos in the file, not the one a //line directive gives it, as for
// go/printer.
func (p *bodyPrinter) line(pos token.Pos) int { return lineOf(p.tf, pos) }

func lineOf(tf *token.File, pos token.Pos) int { return tf.PositionFor(pos, false).Line }

func (p *bodyPrinter) fail() { p.ok = false }

// token writes a token, with a blank first where it would otherwise merge with the one
// before ("- -x", "a / *p").
func (p *bodyPrinter) token(t token.Token) {
	s := t.String()
	if mayCombine(p.last, s[0]) {
		p.out = append(p.out, ' ')
	}
	p.out = append(p.out, s...)
	p.last = t
}

func mayCombine(prev token.Token, next byte) bool {
	switch prev {
	case token.INT:
		return next == '.'
	case token.ADD:
		return next == '+'
	case token.SUB:
		return next == '-'
	case token.QUO:
		return next == '*'
	case token.LSS:
		return next == '-' || next == '<'
	case token.AND:
		return next == '&' || next == '^'
	}
	return false
}

func (p *bodyPrinter) blank() {
	p.out = append(p.out, ' ')
	p.last = token.ILLEGAL
}

func (p *bodyPrinter) text(kind token.Token, s string) {
	p.out = append(p.out, s...)
	p.last = kind
}

// newlines writes the line breaks before something on line to of the source when the
// last thing written was on line from: as many as the source has, at least one and at
// most two (one blank line), then the indentation. Blank lines carry no indentation.
func (p *bodyPrinter) newlines(from, to, indent int) {
	n := min(max(to-from, 1), 2)
	for range n {
		p.out = append(p.out, '\n')
	}
	for range indent {
		p.out = append(p.out, '\t')
	}
	p.last = token.ILLEGAL
}

// block writes "{", the statements one level deeper than indent, and "}" at indent.
func (p *bodyPrinter) block(b *ast.BlockStmt, indent int) {
	p.token(token.LBRACE)
	p.stmtList(b.List, p.line(b.Lbrace), indent+1)
	p.closeBrace(b, indent)
}

// closeBrace writes the "}" of b after as many line breaks as the source has after its
// last statement (or its "{").
func (p *bodyPrinter) closeBrace(b *ast.BlockStmt, indent int) {
	prev := p.line(b.Lbrace)
	if n := len(b.List); n > 0 {
		prev = p.line(b.List[n-1].End())
	}
	p.newlines(prev, p.line(b.Rbrace), indent)
	p.token(token.RBRACE)
}

// stmtList writes each statement on a line of its own; prev is the line the list
// follows.
func (p *bodyPrinter) stmtList(list []ast.Stmt, prev, indent int) {
	for _, s := range list {
		if !p.ok {
			return
		}
		p.newlines(prev, p.line(s.Pos()), indent)
		p.stmt(s, indent)
		prev = p.line(s.End())
	}
}

// oneLine reports whether the source from..to is on one line.
func (p *bodyPrinter) oneLine(from, to token.Pos) bool {
	return p.line(from) == p.line(to)
}

// keyword starts a statement with a block: it writes kw when the header, from from to
// the "{" of body, is on one line (go/printer keeps the line breaks of a header), and
// gives up otherwise.
func (p *bodyPrinter) keyword(kw token.Token, from token.Pos, body *ast.BlockStmt) bool {
	if !p.oneLine(from, body.Lbrace) {
		p.fail()
		return false
	}
	p.token(kw)
	return true
}

func (p *bodyPrinter) stmt(s ast.Stmt, indent int) {
	switch s := s.(type) {
	case *ast.BlockStmt:
		p.block(s, indent)
	case *ast.IfStmt:
		p.ifStmt(s, indent)
	case *ast.ForStmt:
		if p.keyword(token.FOR, s.For, s.Body) {
			p.controlClause(true, s.Init, s.Cond, s.Post)
			p.block(s.Body, indent)
		}
	case *ast.RangeStmt:
		p.rangeStmt(s, indent)
	case *ast.SwitchStmt:
		if p.keyword(token.SWITCH, s.Switch, s.Body) {
			p.controlClause(false, s.Init, s.Tag, nil)
			p.clauses(s.Body, indent)
		}
	case *ast.TypeSwitchStmt:
		if !p.keyword(token.SWITCH, s.Switch, s.Body) {
			return
		}
		if s.Init != nil {
			p.blank()
			p.simpleStmt(s.Init)
			p.token(token.SEMICOLON)
		}
		p.blank()
		p.simpleStmt(s.Assign)
		p.blank()
		p.clauses(s.Body, indent)
	default:
		if !p.oneLine(s.Pos(), s.End()) {
			p.fail()
			return
		}
		p.simpleStmt(s)
	}
}

// simpleStmt writes a statement that has no block.
func (p *bodyPrinter) simpleStmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		p.expr0(s.X, 1)
	case *ast.AssignStmt:
		depth := 1
		if len(s.Lhs) > 1 && len(s.Rhs) > 1 {
			depth++
		}
		p.exprList(s.Lhs, depth)
		p.blank()
		p.token(s.Tok)
		p.blank()
		p.exprList(s.Rhs, depth)
	case *ast.IncDecStmt:
		p.expr0(s.X, 2)
		p.token(s.Tok)
	case *ast.ReturnStmt:
		p.token(token.RETURN)
		if s.Results != nil {
			p.blank()
			p.exprList(s.Results, 1)
		}
	case *ast.BranchStmt:
		p.token(s.Tok)
		if s.Label != nil {
			p.blank()
			p.expr(s.Label)
		}
	case *ast.DeclStmt:
		p.declStmt(s)
	case *ast.DeferStmt:
		p.token(token.DEFER)
		p.blank()
		p.expr(s.Call)
	case *ast.GoStmt:
		p.token(token.GO)
		p.blank()
		p.expr(s.Call)
	case *ast.SendStmt:
		p.expr0(s.Chan, 1)
		p.blank()
		p.token(token.ARROW)
		p.blank()
		p.expr0(s.Value, 1)
	default: // labels, empty statements, select, ...
		p.fail()
	}
}

// declStmt writes "var x T = v" (or const); a parenthesized group is left to go/printer,
// which aligns its columns.
func (p *bodyPrinter) declStmt(s *ast.DeclStmt) {
	d, ok := s.Decl.(*ast.GenDecl)
	if !ok || d.Lparen.IsValid() || len(d.Specs) != 1 || d.Tok != token.VAR && d.Tok != token.CONST {
		p.fail()
		return
	}
	v := d.Specs[0].(*ast.ValueSpec)
	p.token(d.Tok)
	p.blank()
	p.identList(v.Names)
	if v.Type != nil {
		p.blank()
		p.expr(v.Type)
	}
	if v.Values != nil {
		p.blank()
		p.token(token.ASSIGN)
		p.blank()
		p.exprList(v.Values, 1)
	}
}

func (p *bodyPrinter) ifStmt(s *ast.IfStmt, indent int) {
	if !p.keyword(token.IF, s.If, s.Body) {
		return
	}
	p.controlClause(false, s.Init, s.Cond, nil)
	p.block(s.Body, indent)
	if s.Else == nil {
		return
	}
	if !p.oneLine(s.Body.Rbrace, s.Else.Pos()) {
		p.fail()
		return
	}
	p.blank()
	p.token(token.ELSE)
	p.blank()
	switch e := s.Else.(type) {
	case *ast.BlockStmt:
		p.block(e, indent)
	case *ast.IfStmt:
		p.ifStmt(e, indent)
	default:
		p.fail()
	}
}

func (p *bodyPrinter) rangeStmt(s *ast.RangeStmt, indent int) {
	if !p.keyword(token.FOR, s.For, s.Body) {
		return
	}
	p.blank()
	if s.Key != nil {
		p.expr(s.Key)
		if s.Value != nil {
			p.token(token.COMMA)
			p.blank()
			p.expr(s.Value)
		}
		p.blank()
		p.token(s.Tok)
		p.blank()
	}
	p.token(token.RANGE)
	p.blank()
	p.expr(stripParens(s.X))
	p.blank()
	p.block(s.Body, indent)
}

// controlClause writes the header of an if, for or switch after its keyword.
func (p *bodyPrinter) controlClause(isFor bool, init ast.Stmt, expr ast.Expr, post ast.Stmt) {
	p.blank()
	needsBlank := false
	if init == nil && post == nil {
		if expr != nil {
			p.expr(stripParens(expr))
			needsBlank = true
		}
	} else {
		if init != nil {
			p.simpleStmt(init)
		}
		p.token(token.SEMICOLON)
		p.blank()
		if expr != nil {
			p.expr(stripParens(expr))
			needsBlank = true
		}
		if isFor {
			p.token(token.SEMICOLON)
			p.blank()
			needsBlank = false
			if post != nil {
				p.simpleStmt(post)
				needsBlank = true
			}
		}
	}
	if needsBlank {
		p.blank()
	}
}

// clauses writes the body of a switch: case clauses at the switch's indentation, their
// statements one level deeper.
func (p *bodyPrinter) clauses(b *ast.BlockStmt, indent int) {
	p.token(token.LBRACE)
	prev := p.line(b.Lbrace)
	for _, s := range b.List {
		c, ok := s.(*ast.CaseClause)
		if !ok || !p.oneLine(c.Case, c.Colon) {
			p.fail()
			return
		}
		p.newlines(prev, p.line(c.Case), indent)
		if c.List != nil {
			p.token(token.CASE)
			p.blank()
			p.exprList(c.List, 1)
		} else {
			p.token(token.DEFAULT)
		}
		p.token(token.COLON)
		p.stmtList(c.Body, p.line(c.Colon), indent+1)
		prev = p.line(c.End())
		if !p.ok {
			return
		}
	}
	p.newlines(prev, p.line(b.Rbrace), indent)
	p.token(token.RBRACE)
}

// identList writes names separated by ", ".
func (p *bodyPrinter) identList(names []*ast.Ident) {
	for i, n := range names {
		if i > 0 {
			p.token(token.COMMA)
			p.blank()
		}
		p.text(token.IDENT, n.Name)
	}
}

// exprList writes a one-line list of expressions separated by ", ".
func (p *bodyPrinter) exprList(list []ast.Expr, depth int) {
	for i, x := range list {
		if i > 0 {
			p.token(token.COMMA)
			p.blank()
		}
		p.expr0(x, depth)
	}
}

func (p *bodyPrinter) expr(x ast.Expr) { p.expr0(x, 1) }

// expr0 writes x at binary-expression depth depth (go/printer's "Normal mode" is depth 1;
// deeper, spaces around operators go).
//
// go/printer's expr1 also takes the precedence of the context, to parenthesize an
// expression that binds less tightly than it. The ASTs here come from go/parser, which
// keeps the source's parentheses as ParenExpr nodes, so that never happens.
func (p *bodyPrinter) expr0(x ast.Expr, depth int) {
	if !p.ok {
		return
	}
	switch x := x.(type) {
	case *ast.Ident:
		p.text(token.IDENT, x.Name)
	case *ast.BasicLit:
		p.text(x.Kind, normalizedNumber(x.Kind, x.Value))
	case *ast.BinaryExpr:
		p.binaryExpr(x, cutoff(x, max(depth, 1)), max(depth, 1))
	case *ast.KeyValueExpr:
		p.expr(x.Key)
		p.token(token.COLON)
		p.blank()
		p.expr(x.Value)
	case *ast.StarExpr:
		p.token(token.MUL)
		p.expr(x.X)
	case *ast.UnaryExpr:
		p.token(x.Op)
		p.expr0(x.X, depth)
	case *ast.ParenExpr:
		if inner, ok := x.X.(*ast.ParenExpr); ok {
			p.expr0(inner, depth) // one pair of parentheses is enough
			return
		}
		p.token(token.LPAREN)
		p.expr0(x.X, reduceDepth(depth))
		p.token(token.RPAREN)
	case *ast.SelectorExpr:
		p.expr0(x.X, depth)
		p.token(token.PERIOD)
		p.text(token.IDENT, x.Sel.Name)
	case *ast.TypeAssertExpr:
		p.expr0(x.X, depth)
		p.token(token.PERIOD)
		p.token(token.LPAREN)
		if x.Type != nil {
			p.expr(x.Type)
		} else {
			p.token(token.TYPE)
		}
		p.token(token.RPAREN)
	case *ast.IndexExpr:
		p.expr0(x.X, 1)
		p.token(token.LBRACK)
		p.expr0(x.Index, depth+1)
		p.token(token.RBRACK)
	case *ast.IndexListExpr:
		p.expr0(x.X, 1)
		p.token(token.LBRACK)
		p.exprList(x.Indices, depth+1)
		p.token(token.RBRACK)
	case *ast.SliceExpr:
		p.sliceExpr(x, depth)
	case *ast.CallExpr:
		p.callExpr(x, depth)
	case *ast.CompositeLit:
		if x.Type != nil {
			p.expr0(x.Type, depth)
		}
		p.token(token.LBRACE)
		p.exprList(x.Elts, 1)
		p.token(token.RBRACE)
	case *ast.Ellipsis:
		p.token(token.ELLIPSIS)
		if x.Elt != nil {
			p.expr(x.Elt)
		}
	case *ast.ArrayType:
		p.token(token.LBRACK)
		if x.Len != nil {
			p.expr(x.Len)
		}
		p.token(token.RBRACK)
		p.expr(x.Elt)
	case *ast.MapType:
		p.token(token.MAP)
		p.token(token.LBRACK)
		p.expr(x.Key)
		p.token(token.RBRACK)
		p.expr(x.Value)
	default: // function literals and types, struct, interface and channel types
		p.fail()
	}
}

func (p *bodyPrinter) binaryExpr(x *ast.BinaryExpr, cutoff, depth int) {
	prec := x.Op.Precedence()
	printBlank := prec < cutoff
	p.expr0(x.X, depth+diffPrec(x.X, prec))
	if printBlank {
		p.blank()
	}
	p.token(x.Op)
	if printBlank {
		p.blank()
	}
	p.expr0(x.Y, depth+1)
}

func (p *bodyPrinter) callExpr(x *ast.CallExpr, depth int) {
	if len(x.Args) > 1 {
		depth++
	}
	switch t := x.Fun.(type) {
	case *ast.FuncType:
		p.fail() // go/printer parenthesizes these conversions
		return
	case *ast.ChanType:
		p.fail()
		return
	case *ast.SelectorExpr:
		p.expr0(t.X, depth)
		p.token(token.PERIOD)
		p.text(token.IDENT, t.Sel.Name)
	default:
		p.expr0(x.Fun, depth)
	}
	p.token(token.LPAREN)
	p.exprList(x.Args, depth)
	if x.Ellipsis.IsValid() {
		p.token(token.ELLIPSIS)
	}
	p.token(token.RPAREN)
}

func (p *bodyPrinter) sliceExpr(x *ast.SliceExpr, depth int) {
	p.expr0(x.X, 1)
	p.token(token.LBRACK)
	indices := []ast.Expr{x.Low, x.High}
	if x.Max != nil {
		indices = append(indices, x.Max)
	}
	// Blanks around ':' when there are several indices, one of them a binary expression.
	needsBlanks := false
	if depth <= 1 {
		count, binaries := 0, false
		for _, i := range indices {
			if i != nil {
				count++
				_, b := i.(*ast.BinaryExpr)
				binaries = binaries || b
			}
		}
		needsBlanks = count > 1 && binaries
	}
	for i, ix := range indices {
		if i > 0 {
			if indices[i-1] != nil && needsBlanks {
				p.blank()
			}
			p.token(token.COLON)
			if ix != nil && needsBlanks {
				p.blank()
			}
		}
		if ix != nil {
			p.expr0(ix, depth+1)
		}
	}
	p.token(token.RBRACK)
}

// walkBinary, cutoff, diffPrec and reduceDepth decide, as go/printer does, whether a
// binary operator gets spaces around it: always at precedence 3 and below; at 4 and 5
// only in "Normal mode" (depth 1), and then only where that does not blur precedence.

func walkBinary(e *ast.BinaryExpr) (has4, has5 bool, maxProblem int) {
	switch e.Op.Precedence() {
	case 4:
		has4 = true
	case 5:
		has5 = true
	}
	if l, ok := e.X.(*ast.BinaryExpr); ok && l.Op.Precedence() >= e.Op.Precedence() {
		h4, h5, mp := walkBinary(l)
		has4, has5, maxProblem = has4 || h4, has5 || h5, max(maxProblem, mp)
	}
	switch r := e.Y.(type) {
	case *ast.BinaryExpr:
		if r.Op.Precedence() > e.Op.Precedence() {
			h4, h5, mp := walkBinary(r)
			has4, has5, maxProblem = has4 || h4, has5 || h5, max(maxProblem, mp)
		}
	case *ast.StarExpr:
		if e.Op == token.QUO { // "/*" would open a comment
			maxProblem = 5
		}
	case *ast.UnaryExpr:
		switch e.Op.String() + r.Op.String() {
		case "/*", "&&", "&^":
			maxProblem = 5
		case "++", "--":
			maxProblem = max(maxProblem, 4)
		}
	}
	return has4, has5, maxProblem
}

func cutoff(e *ast.BinaryExpr, depth int) int {
	has4, has5, maxProblem := walkBinary(e)
	switch {
	case maxProblem > 0:
		return maxProblem + 1
	case has4 && has5 && depth == 1:
		return 5
	case depth == 1:
		return 6
	}
	return 4
}

func diffPrec(x ast.Expr, prec int) int {
	if b, ok := x.(*ast.BinaryExpr); ok && b.Op.Precedence() == prec {
		return 0
	}
	return 1
}

func reduceDepth(depth int) int { return max(depth-1, 1) }

// stripParens drops the parentheses around a control clause's expression unless they
// keep a composite literal of a named type from being read as the block.
func stripParens(x ast.Expr) ast.Expr {
	px, ok := x.(*ast.ParenExpr)
	if !ok {
		return x
	}
	strip := true
	ast.Inspect(px.X, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ParenExpr:
			return false
		case *ast.CompositeLit:
			if isTypeName(n.Type) {
				strip = false
			}
			return false
		}
		return true
	})
	if strip {
		return stripParens(px.X)
	}
	return x
}

func isTypeName(x ast.Expr) bool {
	switch t := x.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isTypeName(t.X)
	}
	return false
}

// printHeader returns the layout of a function declaration up to its body, "func (r T)
// Name(params) results", when it is on one line and has no type parameters.
func printHeader(tf *token.File, d *ast.FuncDecl) ([]byte, bool) {
	if d.Type.TypeParams != nil || d.Type.Params == nil || lineOf(tf, d.Type.Func) != lineOf(tf, d.Body.Lbrace) {
		return nil, false
	}
	p := &bodyPrinter{tf: tf, ok: true, out: make([]byte, 0, int(d.Body.Lbrace-d.Type.Func)+8)}
	p.token(token.FUNC)
	p.blank()
	if d.Recv != nil {
		p.params(d.Recv)
		p.blank()
	}
	p.text(token.IDENT, d.Name.Name)
	p.params(d.Type.Params)
	if res := d.Type.Results; res.NumFields() > 0 {
		p.blank()
		if res.NumFields() == 1 && res.List[0].Names == nil {
			p.expr(stripParensAlways(res.List[0].Type)) // a single unnamed result needs no parentheses
		} else {
			p.params(res)
		}
	}
	p.blank()
	return p.out, p.ok
}

// params writes a one-line parameter or result list.
func (p *bodyPrinter) params(fields *ast.FieldList) {
	p.token(token.LPAREN)
	for i, f := range fields.List {
		if i > 0 {
			p.token(token.COMMA)
			p.blank()
		}
		p.identList(f.Names)
		if len(f.Names) > 0 {
			p.blank()
		}
		p.expr(stripParensAlways(f.Type))
	}
	p.token(token.RPAREN)
}

func stripParensAlways(x ast.Expr) ast.Expr {
	if px, ok := x.(*ast.ParenExpr); ok {
		return stripParensAlways(px.X)
	}
	return x
}
