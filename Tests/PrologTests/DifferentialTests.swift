import Prolog
import XCTest

/// Each suite runs its goals in SWI-Prolog and in Council's engine against the same program; the solutions (every
/// binding as `writeq/1` writes it, in order) must be identical.
final class DifferentialTests: XCTestCase {
    private func assertSameAsSWI(
        _ program: String, _ goals: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let expected = try SWIProlog.run(program: program, goals: goals)
        let actual = try SWIProlog.council(program: program, goals: goals)
        XCTAssertEqual(
            expected.count, goals.count, "SWI-Prolog answered \(expected.count) goals", file: file, line: line)
        for (index, goal) in goals.enumerated() where index < expected.count {
            let ours = index < actual.count ? actual[index] : ["(missing)"]
            XCTAssertEqual(ours, expected[index], "?- \(goal).", file: file, line: line)
        }
    }

    func testFamilyTree() throws {
        let program = """
            parent(tom, bob). parent(tom, liz). parent(bob, ann). parent(bob, pat). parent(pat, jim).
            parent(liz, joe).
            male(tom). male(bob). male(jim). male(joe). female(liz). female(ann). female(pat).
            father(F, C) :- parent(F, C), male(F).
            mother(M, C) :- parent(M, C), female(M).
            grandparent(G, C) :- parent(G, P), parent(P, C).
            ancestor(A, D) :- parent(A, D).
            ancestor(A, D) :- parent(A, X), ancestor(X, D).
            sibling(X, Y) :- parent(P, X), parent(P, Y), X \\= Y.
            cousin(X, Y) :- parent(P, X), parent(Q, Y), sibling(P, Q).
            """
        try assertSameAsSWI(
            program,
            [
                "grandparent(tom, X)", "ancestor(tom, D)", "ancestor(A, jim)", "sibling(ann, S)",
                "cousin(ann, C)", "father(F, ann), mother(M, jim)", "\\+ parent(jim, _)",
                "findall(C, ancestor(tom, C), L), length(L, N)", "setof(P, C^parent(P, C), Ps)",
                "bagof(C, parent(P, C), Cs)",
            ])
    }

    func testListProcessing() throws {
        let program = """
            double(X, Y) :- Y is 2 * X.
            even(X) :- X mod 2 =:= 0.
            add(X, A0, A) :- A is A0 + X.
            by_length(Order, A, B) :- atom_length(A, LA), atom_length(B, LB), compare(Order, LA-A, LB-B).
            """
        try assertSameAsSWI(
            program,
            [
                "append(X, Y, [1,2,3])", "append([a], T, L)", "member(X, [a, b, c])",
                "reverse([1, 2, 3, 4], R)", "nth0(I, [a, b, c], E)", "nth1(2, [a, b, c], E)",
                "last([1, 2, 3], L)", "msort([b, a, c, a], M), sort([b, a, c, a], S)",
                "sort(0, @>=, [3, 1, 2, 3], D), sort(1, @<, [f(2, a), f(1, b), f(2, c)], K)",
                "predsort(by_length, [ccc, a, bb, dd], P)", "length(L, N), N >= 2, !", "length([a, b, c], N)",
                "sum_list([1, 2, 3.5], S), max_list([3, 1, 4], Max), min_list([3, 1, 4], Min)",
                "list_to_set([a, b, a, c, b], S)", "exclude(even, [1, 2, 3, 4], O), include(even, [1, 2, 3, 4], E)",
                "partition(even, [1, 2, 3, 4, 5], I, E)", "maplist(double, [1, 2, 3], D)",
                "foldl(add, [1, 2, 3], 0, S)", "select(X, [a, b, c], R)", "permutation([1, 2, 3], P)",
                "numlist(1, 5, L), sumlist(L, S)", "delete([a, b, a, c], a, D), subtract([1, 2, 3], [2], S)",
                "flatten([1, [2, [3, 4]], [], 5], F)", "nextto(X, Y, [1, 2, 3])", "msort([c-1, a-2, b-3], S)",
                "keysort([b-1, a-2, b-0, a-1], S)",
            ])
    }

    func testArithmetic() throws {
        let program = """
            fact(0, 1) :- !.
            fact(N, F) :- N1 is N - 1, fact(N1, F1), F is N * F1.
            fib(0, 0). fib(1, 1).
            fib(N, F) :- N > 1, A is N - 1, B is N - 2, fib(A, FA), fib(B, FB), F is FA + FB.
            """
        try assertSameAsSWI(
            program,
            [
                "X is 7 // 2, Y is -7 // 2, Z is 7 // -2",
                "X is 7 mod 3, Y is -7 mod 3, Z is 7 mod -3, W is -7 rem 3",
                "X is -7 div 2, Y is 7 / 2, Z is 8 / 2, W is 2 ** 3, V is 2 ^ 10, U is 2 ** -1",
                "fact(30, F)", "X is 2 ** 100, Y is 7 ^ 77", "X is 123456789 * 987654321 * 1000000007",
                "X is -(2 ** 63), Y is X - 1, Z is abs(Y)", "fib(15, F)",
                "X is 0.1 + 0.2, Y is 10 / 4.0, Z is sqrt(16), W is 2.0 * 3",
                "X is 1.0e10, Y is 1.0e15, Z is 1.0e16, W is 1.0e-5, V is 123.456, U is 1.0e100",
                "X is max(1, 2.0), Y is min(3, 2), Z is max(1, 1.0), W is min(1, 1.0)",
                "X is abs(-3), Y is sign(-2.5), Z is gcd(12, 18), W is msb(1000)",
                "X is -16 >> 2, Y is 1 << 70, Z is 5 /\\ 3, W is 5 \\/ 3, V is 5 xor 3, U is \\ 5",
                "X is truncate(3.7), Y is round(-2.5), Z is ceiling(2.1), W is floor(-2.1)",
                "X is integer(2.5), Y is float_integer_part(-3.7), Z is float(7)",
                "X is cos(0), Y is exp(0), Z is log(1), W is atan2(1, 1) * 4",
                "1 =:= 1.0, 2 > 1, 1 =< 1, 3 =\\= 4, X = yes",
                "catch(X is 1 / 0, error(E, _), true)", "catch(X is foo + 1, error(E, _), true)",
                "catch(X is Y + 1, error(E, _), true)", "X is 10 ** 20, Y is 10.0 ** 20",
                "X = 3, Y is X * (X + 1) / 2", "succ(X, 5), succ(5, Y), plus(2, Z, 7)",
            ])
    }

    func testCutAndNegation() throws {
        let program = """
            max(X, Y, X) :- X >= Y, !.
            max(_, Y, Y).
            classify(N, negative) :- N < 0, !.
            classify(0, zero) :- !.
            classify(_, positive).
            first_member(X, L) :- member(X, L), !.
            t(1). t(2). t(3).
            cut_in_disjunction(X) :- ( t(X), X > 1, ! ; X = none ).
            local_cut(X) :- call((t(X), !)).
            not_member(X, L) :- \\+ member(X, L).
            if_then(X, R) :- ( X > 2 -> R = big ; X > 1 -> R = medium ; R = small ).
            soft(X, Y) :- ( t(X) *-> Y = found ; Y = none ).
            """
        try assertSameAsSWI(
            program,
            [
                "max(3, 5, M)", "max(7, 2, M)", "classify(-4, C), classify(0, D), classify(9, E)",
                "first_member(X, [c, b, a])", "cut_in_disjunction(X)", "local_cut(X)", "t(X), local_cut(Y)",
                "not_member(d, [a, b]), \\+ not_member(a, [a])", "if_then(3, A), if_then(2, B), if_then(1, C)",
                "soft(X, Y)", "once(t(X))", "ignore(t(4)), X = done", "forall(t(X), X > 0)",
                "t(X), ( X >= 2 -> true ; fail )", "\\+ \\+ X = 1, var(X)",
            ])
    }

    func testExceptions() throws {
        let program = """
            safe_div(X, Y, Z) :- catch(Z is X / Y, error(evaluation_error(E), _), Z = E).
            check(X) :- ( integer(X) -> true ; throw(not_an_integer(X)) ).
            nested(R) :- catch(catch(throw(inner), outer, R = wrong), inner, R = caught).
            rethrow(R) :- catch(catch(throw(first), first, throw(second)), second, R = second_caught).
            cleanup(L) :- catch(findall(X, (member(X, [1, 2, 3]), (X > 2 -> throw(stop(X)) ; true)), L), stop(N), L = stopped(N)).
            """
        try assertSameAsSWI(
            program,
            [
                "safe_div(6, 3, Z)", "safe_div(1, 0, Z)", "catch(check(a), B, true)", "catch(check(1), B, true)",
                "nested(R)", "rethrow(R)", "cleanup(L)", "catch(atom_length(X, L), error(E, _), true)",
                "catch(atom_length(abc, foo), error(E, _), true)", "catch(undefined_pred_xyz, error(E, _), true)",
                "catch(arg(x, f(a), _), error(E, _), true)", "catch(functor(_, _, _), error(E, _), true)",
                "catch(atom_codes(_, _), error(E, _), true)", "catch(throw(f(X, Y, X)), f(A, B, C), true)",
                "catch(number_codes(N, \"3x\"), error(E, _), true)", "catch(succ(X, -1), error(E, _), true)",
                "catch(call(1), error(E, _), true)", "catch(assertz(foo :- 1), error(E, _), true)",
                "catch(atom_length(1, L), E, true)", "catch(msort(a, L), error(E, _), true)",
            ])
    }

    func testFindallBagofSetof() throws {
        let program = """
            age(peter, 7). age(ann, 11). age(pat, 8). age(tom, 5). age(mike, 11).
            class(a, peter). class(b, ann). class(a, pat). class(b, tom). class(c, mike).
            likes(mary, wine). likes(john, wine). likes(john, mary). likes(mary, food).
            """
        try assertSameAsSWI(
            program,
            [
                "findall(N-A, age(N, A), L)", "findall(X, fail, L)", "findall(X, member(X, [a, b]), L, [c])",
                "bagof(N, A^age(N, A), L)", "bagof(N, age(N, A), L)", "setof(A-N, age(N, A), L)",
                "setof(N, C^class(C, N), L)", "bagof(N, class(C, N), L)", "setof(C-Ns, setof(N, class(C, N), Ns), L)",
                "bagof(X, fail, L)", "setof(X, likes(X, Y), L)", "setof(X, Y^likes(X, Y), L)",
                "aggregate_all(count, age(_, _), C)", "aggregate_all(sum(A), age(_, A), S)",
                "aggregate_all(max(A), age(_, A), M)", "aggregate_all(bag(N), class(a, N), B)",
                "findall(X-Y, (member(X, [1, 2]), member(Y, [a, b])), L)",
                "bagof(X-Z, member(X-Z, [2-b, 1-a, 2-a]), L)",
            ])
    }

    func testQueensAndGraphs() throws {
        let program = """
            queens(N, Qs) :- numlist(1, N, Ns), place(Ns, [], Qs).
            place([], Qs, Qs).
            place(Unplaced, Safe, Qs) :-
                select(Q, Unplaced, Rest), \\+ attacks(Q, Safe, 1), place(Rest, [Q|Safe], Qs).
            attacks(Q, [Q1|_], D) :- Q =:= Q1 + D.
            attacks(Q, [Q1|_], D) :- Q =:= Q1 - D.
            attacks(Q, [_|Qs], D) :- D1 is D + 1, attacks(Q, Qs, D1).
            edge(a, b). edge(b, c). edge(c, d). edge(a, c). edge(d, a). edge(c, e).
            path(X, Y, P) :- path(X, Y, [X], Q), reverse(Q, P).
            path(X, X, V, V).
            path(X, Y, V, P) :- edge(X, Z), \\+ member(Z, V), path(Z, Y, [Z|V], P).
            reachable(X, Ys) :- setof(Y, P^path(X, Y, P), Ys).
            shortest(X, Y, P) :- setof(L-Q, (path(X, Y, Q), length(Q, L)), [_-P|_]).
            """
        try assertSameAsSWI(
            program,
            [
                "queens(6, Qs)", "findall(Q, queens(8, Q), L), length(L, N)", "queens(8, Q), !",
                "path(a, e, P)", "reachable(b, R)", "shortest(a, e, P)",
                "findall(P, path(a, d, P), Ps)",
            ])
    }

    func testSmallParser() throws {
        // Arithmetic expressions parsed with plain clauses over character codes (difference lists by hand).
        let program = """
            parse(Text, Tree) :- atom_codes(Text, Codes), exclude(==(0' ), Codes, Clean), expr(Tree, Clean, []).
            expr(T, S0, S) :- term(L, S0, S1), expr_rest(L, T, S1, S).
            expr_rest(L, T, [0'+|S0], S) :- !, term(R, S0, S1), expr_rest(L+R, T, S1, S).
            expr_rest(L, T, [0'-|S0], S) :- !, term(R, S0, S1), expr_rest(L-R, T, S1, S).
            expr_rest(T, T, S, S).
            term(T, S0, S) :- factor(L, S0, S1), term_rest(L, T, S1, S).
            term_rest(L, T, [0'*|S0], S) :- !, factor(R, S0, S1), term_rest(L*R, T, S1, S).
            term_rest(L, T, [0'/|S0], S) :- !, factor(R, S0, S1), term_rest(L/R, T, S1, S).
            term_rest(T, T, S, S).
            factor(T, [0'(|S0], S) :- !, expr(T, S0, [0')|S]).
            factor(N, S0, S) :- digits(Ds, S0, S), Ds \\= [], number_codes(N, Ds).
            digits([D|Ds], [D|S0], S) :- code_type(D, digit), !, digits(Ds, S0, S).
            digits([], S, S).
            calc(Text, Tree, Value) :- parse(Text, Tree), Value is Tree.
            greeting --> [hello], name.
            name --> [world].
            name --> [prolog].
            """
        try assertSameAsSWI(
            program,
            [
                "calc('2*(3+4)', T, V)", "calc('10 - 4 - 3', T, V)", "calc('8/2/2', T, V)",
                "calc('1+2*3-4', T, V)", "parse('2+', T)", "phrase(greeting, [hello, prolog])",
                "findall(X, phrase(greeting, [hello, X]), L)",
            ])
    }

    func testAssertRetract() throws {
        let program = """
            :- dynamic counter/1, fact/1, item/2.
            counter(0).
            increment :- retract(counter(N)), N1 is N + 1, assertz(counter(N1)).
            """
        try assertSameAsSWI(
            program,
            [
                "increment, increment, counter(N)",
                "retractall(fact(_)), assertz(fact(1)), assertz(fact(2)), asserta(fact(0)), findall(X, fact(X), L)",
                "retractall(fact(_)), assertz(fact(a)), assertz(fact(b)), retract(fact(X))",
                "assertz(item(1, a)), assertz(item(2, b)), assertz(item(3, a)), retractall(item(_, a)), findall(I-V, item(I, V), L)",
                "retractall(fact(_)), assertz(fact(1)), ( fact(X), assertz(fact(2)), fail ; true ), findall(Y, fact(Y), L)",
                "assertz((double(X, Y) :- Y is X * 2)), double(4, D)",
                "retractall(fact(_)), assertz(fact(1)), assertz(fact(2)), clause(fact(X), B)",
                "assertz((r(X) :- X > 1, write(x))), clause(r(A), Body)",
                "catch(assertz(atom_length(a, 1)), error(E, _), true)",
                "catch(assertz(counter_static), error(E, _), true)",
            ])
    }

    func testFormatAndText() throws {
        try assertSameAsSWI(
            "",
            [
                "format(atom(A), \"~w and ~a, ~q~n\", [foo(X), 'b c', 'b c'])",
                "format(atom(A), \"~d ~D ~2d\", [42, 1234567, 1234])",
                "format(atom(A), \"~2f ~e ~4g ~0f\", [3.14159, 2.5, 1.0, 2.5])",
                "format(atom(A), \"~s and ~c~c\", [\"codes\", 65, 66])",
                "format(atom(A), \"~a~t~10|~a\", [abc, def])", "format(atom(A), \"~t~a~10|~a\", [abc, def])",
                "format(atom(A), \"~t~d~6|\", [42])", "format(atom(A), \"~a~t~a~12|~a\", [left, right, end])",
                "format(atom(A), \"~p ~i~w ~8r ~16R\", [x, skipped, y, 255, 255])",
                "format(atom(A), \"no arguments~~\", [])", "format(atom(A), \"~a\", abc)",
                "atom_codes(A, [0'h, 0'i]), atom_chars(B, [x, y]), char_code(C, 0'z)",
                "sub_atom(hello, B, 2, A, S)", "sub_atom(abcab, B, L, A, ab)", "atom_concat(X, Y, abc)",
                "atomic_list_concat([a, 1, \"s\", 2.5], A)", "atomic_list_concat(L, '-', 'a-b--c')",
                "atomic_list_concat([a, b, c], ', ', A)", "upcase_atom('hello World', U)",
                "atom_number('3.5e2', N), atom_number(A, 42)", "atom_number(foo, N)",
                "number_codes(N, \" 12\"), atom_string(A, \"xyz\")", "split_string(\"a,b,,c\", \",\", \"\", P)",
                "split_string(\"  hi  \", \"\", \" \", P)", "string_concat(S1, S2, \"ab\")",
                "string_chars(S, [h, i]), string_codes(T, \"yo\"), string_length(\"hello\", L)",
                "term_to_atom(f(X, 'A', \"s\", [1]), A)", "term_to_atom(T, 'foo(X, bar, Y)')",
                "atom_length(hello, L), atom_length('', E)", "sub_string(\"hello world\", 6, 5, _, S)",
                "string_code(1, \"abc\", C), number_string(N, \" 42 \")",
            ])
    }

    func testWriteqOfTrickyTerms() throws {
        try assertSameAsSWI(
            "",
            [
                "X = -(1), Y = -(-(1)), Z = 1 - -1, W = - a, V = -(-(a)), U = 1-(2-3)",
                "X = (a :- b, c), Y = (a, b), Z = f((a, b)), W = f((a :- b)), V = [a|b]",
                "X = 'hello world', Y = [], Z = '[]', W = {a, b}, V = '{}', U = 'don''t'",
                "X = a+'B', Y = 2*(3+4), Z = (a ; b), W = (a -> b ; c), V = (\\+ a), U = (\\+ (a, b))",
                "X = f(-), Y = - (-), Z = (-) - (-), W = [-], V = 1 - (mod), U = f(;, '|', ',')",
                "X = 1.0, Y = -0.0, Z = 1.0e10, W = 1.5e-7, V = 0.1, U = 100000000000000.0",
                "X = \"string\", Y = 'a\\nb', Z = 'tab\\there', W = '\\\\', V = f(\"q\\\"uote\")",
                "X = (a = b), Y = ((a = b) = c), Z = a:b:c, W = - (1 + 2), V = (- 1) ^ 2, U = - (1 ^ 2)",
                "X = 1 rdiv 2, Y = a mod b, Z = f(a mod b), W = (a :- dynamic foo/1)",
                "X = f(A, B, A), Y = [A|T], Z = 'Abc', W = aBc, V = 'é', U = [a, b|c]",
                "X = '$VAR'(1), Y = '$VAR'(27), Z = f(x, (y :- z)), W = {}(x), V = 'hello'(world)",
                "X = - 1 + 2, Y = 1 * -1, Z = 2 ** -1, W = 1 + -2, V = a - - - b, U = f(- 1)",
                "X = 'ÿ', Y = f('A'), Z = \"\", W = '', V = (\\+ \\+ a), U = - + 1", "X = \\+ a", "X = a = b",
            ])
    }

    func testTermInspection() throws {
        try assertSameAsSWI(
            "",
            [
                "functor(f(a, b), N, A), functor(T, g, 3), functor(x, N2, A2), functor(L, '[|]', 2)",
                "arg(2, f(a, b, c), X)", "arg(N, f(a, b), X)", "f(a, B) =.. L, T =.. [g, 1, 2]",
                "X =.. [foo], [1, 2] =.. L", "copy_term(f(X, Y, X), C)", "compare(O, 1, a), compare(P, f(b), f(a))",
                "msort([b, 1, a, 2.0, \"s\", f(x), g(a, b), Z, 1.0, 1], S)", "sort([c, B, a, A, 3], S)",
                "X == X, \\+ X == Y, a @< b, f(a) @> a, 1.0 @< 1", "term_variables(f(X, g(Y, X), Z), Vs)",
                "X = f(Y), Y = 1, ground(X)", "atom(a), atomic(\"s\"), compound(f(x)), callable(a), is_list([1])",
                "var(X), nonvar(a), number(1.5), integer(3), float(2.0), \\+ atom(1), \\+ atom(\"a\")",
                "between(1, 3, X)", "between(1, inf, X), X > 2, !", "length(L, 2), L = [a|T]",
                "f(X, b) = f(a, Y)", "f(X, X) = f(a, b)", "X = f(X1), X1 = g(1), X = f(g(Z))",
                "unify_with_occurs_check(X, f(Y))", "\\+ unify_with_occurs_check(X, f(X))",
                "f(a, _) =@= f(a, _), \\+ f(A, A) =@= f(_, _)",
            ])
    }

    func testFirstArgumentIndexingKeepsClauseOrder() throws {
        // Enough clauses for the index, with variable first arguments between keyed ones.
        var clauses: [String] = []
        for index in 0..<40 {
            clauses.append("p(\(index % 5), v\(index)).")
            if index % 7 == 0 { clauses.append("p(_, any\(index)).") }
            if index % 9 == 0 { clauses.append("p(f(\(index % 2)), s\(index)).") }
        }
        clauses.append("p([a], list). p(\"s\", string). p(1.5, float).")
        try assertSameAsSWI(
            clauses.joined(separator: "\n"),
            [
                "p(1, Y)", "p(f(0), Y)", "p(K, v12)", "findall(X-Y, p(X, Y), L), length(L, N)", "p([a], Y)",
                "p(\"s\", Y)", "p(1.5, Y)", "p(9, Y)",
            ])
    }
}
