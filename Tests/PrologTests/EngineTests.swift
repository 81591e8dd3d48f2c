import Foundation
import Prolog
import XCTest

/// The engine's own guarantees: syntax errors with positions, limits, cancellation, operators, isolation.
final class EngineTests: XCTestCase {
    private func solve(
        _ program: String, _ goal: String, max: Int = 100, limits: PrologLimits = PrologLimits()
    ) throws -> PrologResult {
        try KnowledgeBase(consulting: program).solve(goal, maxSolutions: max, limits: limits)
    }

    private func expectError(
        _ expected: PrologError, _ program: String, _ goal: String, limits: PrologLimits = PrologLimits(),
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let knowledgeBase = try KnowledgeBase(consulting: program)
        XCTAssertThrowsError(try knowledgeBase.solve(goal, limits: limits), file: file, line: line) { error in
            XCTAssertEqual(error as? PrologError, expected, file: file, line: line)
        }
    }

    // MARK: Syntax

    func testSyntaxErrorsReportLineAndColumn() {
        XCTAssertThrowsError(try KnowledgeBase(consulting: "p(a).\nq(b) :- r(c,, d).\n")) { error in
            let syntax = error as? PrologSyntaxError
            XCTAssertEqual(syntax?.line, 2)
            XCTAssertEqual(syntax?.column, 13)
        }
        XCTAssertThrowsError(try KnowledgeBase(consulting: "p(a).\n\n  q(\"unterminated).\n")) { error in
            XCTAssertEqual((error as? PrologSyntaxError)?.line, 3)
            XCTAssertEqual((error as? PrologSyntaxError)?.column, 5)
        }
        XCTAssertThrowsError(try KnowledgeBase(consulting: "p(a)\nq(b).")) { error in
            XCTAssertEqual((error as? PrologSyntaxError)?.line, 2)
        }
        XCTAssertThrowsError(try KnowledgeBase(consulting: "p :- X = a = b.")) { error in
            XCTAssertEqual((error as? PrologSyntaxError)?.message, "operator expected")
        }
    }

    func testGoalSyntaxErrorIsReported() throws {
        XCTAssertThrowsError(try KnowledgeBase().solve("foo(")) { error in
            guard case .syntax(let syntax)? = error as? PrologError else {
                return XCTFail("expected a syntax error, got \(error)")
            }
            XCTAssertEqual(syntax.line, 1)
        }
    }

    func testDeeplyNestedTextIsRejectedNotCrashing() {
        let text = "p(" + String(repeating: "f(", count: 20_000) + "x" + String(repeating: ")", count: 20_001) + "."
        XCTAssertThrowsError(try KnowledgeBase(consulting: text)) { error in
            XCTAssertEqual((error as? PrologSyntaxError)?.message, "term nested too deeply")
        }
    }

    func testRedefiningABuiltinIsRefused() {
        XCTAssertThrowsError(try KnowledgeBase(consulting: "ok.\natom_length(a, 1).")) { error in
            let syntax = error as? PrologSyntaxError
            XCTAssertEqual(syntax?.line, 2)
            XCTAssertTrue(syntax?.message.contains("atom_length/2") ?? false, "\(error)")
        }
    }

    // MARK: Resolution

    func testSolutionsMoreFlagAndOutput() throws {
        let result = try solve("", "member(X, [a, b, c]), format(\"~w;\", [X])", max: 2)
        XCTAssertEqual(result.solutions.map { $0["X"] }, ["a", "b"])
        XCTAssertTrue(result.more)
        XCTAssertEqual(result.output, "a;b;c;")
        let all = try solve("", "member(X, [a, b, c])", max: 3)
        XCTAssertFalse(all.more)
    }

    func testDeepRecursionOfOneMillionRuns() throws {
        let program = """
            count(N, N) :- !.
            count(I, N) :- I1 is I + 1, count(I1, N).
            len([], 0).
            len([_|T], N) :- len(T, N0), N is N0 + 1.
            """
        XCTAssertEqual(try solve(program, "count(0, 1000000), X = done").solutions.first?["X"], "done")
        XCTAssertEqual(try solve(program, "numlist(1, 1000000, L), len(L, N)").solutions.first?["N"], "1000000")
    }

    func testLargeAndDeepTermsDoNotOverflowTheStack() throws {
        let program = """
            nest(0, T, T) :- !.
            nest(N, T0, T) :- N1 is N - 1, nest(N1, f(T0), T).
            """
        let goal = """
            nest(300000, x, T), copy_term(T, C), T == C, ground(T), nest(300000, x, T2), T = T2, \
            msort([T, C], _), term_variables(T, Vs), numlist(1, 500000, L), msort(L, M), length(M, N)
            """
        let result = try solve(program, goal)
        XCTAssertEqual(result.solutions.first?["N"], "500000")
        XCTAssertEqual(result.solutions.first?["Vs"], "[]")
    }

    func testAssertedClausesStayInTheirQuery() throws {
        let knowledgeBase = try KnowledgeBase(consulting: ":- dynamic seen/1.\nseen(start).")
        let first = try knowledgeBase.solve("assertz(seen(x)), findall(S, seen(S), L)")
        XCTAssertEqual(first.solutions.first?["L"], "[start,x]")
        let second = try knowledgeBase.solve("findall(S, seen(S), L)")
        XCTAssertEqual(second.solutions.first?["L"], "[start]")
    }

    func testDirectivesRunAtConsultTime() throws {
        let program = """
            :- dynamic fact/1.
            :- assertz(fact(from_directive)).
            :- op(700, xfx, likes).
            mary likes wine.
            """
        XCTAssertEqual(try solve(program, "fact(X)").solutions.first?["X"], "from_directive")
        let result = try solve(program, "X likes Y, T = (a likes b), T =.. L")
        XCTAssertEqual(result.solutions.first?["X"], "mary")
        XCTAssertEqual(result.solutions.first?["T"], "a likes b")
        XCTAssertEqual(result.solutions.first?["L"], "[likes,a,b]")
    }

    func testOpAtRunTimeChangesReadingAndWriting() throws {
        let result = try solve("", "op(200, xfy, ++), term_to_atom(T, 'a ++ b ++ c'), T = '++'(_, R)")
        XCTAssertEqual(result.solutions.first?["T"], "a++b++c")
        XCTAssertEqual(result.solutions.first?["R"], "b++c")
    }

    // MARK: Limits and safety

    func testInfiniteLoopStopsAtTheInferenceLimit() throws {
        let started = Date()
        try expectError(
            .limitExceeded(.inferences), "loop :- loop.", "loop",
            limits: PrologLimits(maxInferences: 200_000, timeout: .seconds(60)))
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    func testRunawayQueryStopsAtTheTimeLimit() throws {
        let started = Date()
        try expectError(
            .limitExceeded(.time), "loop(X) :- loop(X).", "between(1, inf, X), X < 0",
            limits: PrologLimits(maxInferences: .max, timeout: .milliseconds(300)))
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        // A cyclic term makes unification loop inside one step: the time limit still ends it.
        try expectError(
            .limitExceeded(.time), "", "X = f(X), Y = f(Y), X = Y",
            limits: PrologLimits(timeout: .milliseconds(300)))
    }

    func testMemoryAndDepthLimits() throws {
        try expectError(
            .limitExceeded(.memory), "grow(L) :- grow([x|L]).", "grow([])",
            limits: PrologLimits(maxInferences: .max, maxHeapCells: 2_000_000, timeout: .seconds(60)))
        try expectError(
            .limitExceeded(.depth), "down(N) :- M is N + 1, down(M), true.", "down(0)",
            limits: PrologLimits(maxInferences: .max, maxDepth: 50_000, timeout: .seconds(60)))
        try expectError(
            .limitExceeded(.output), "", "repeat, write(xxxxxxxxxx), fail",
            limits: PrologLimits(maxOutput: 10_000))
    }

    func testCancellationStopsARunningQuery() throws {
        let cancellation = PrologCancellation()
        let knowledgeBase = try KnowledgeBase(consulting: "loop :- loop.")
        let finished = expectation(description: "query ended")
        let outcome = Outcome()
        Thread.detachNewThread {
            do {
                _ = try knowledgeBase.solve(
                    "loop", limits: PrologLimits(maxInferences: .max, timeout: .seconds(60)),
                    cancellation: cancellation)
            } catch {
                outcome.error = error as? PrologError
            }
            finished.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.2)
        cancellation.cancel()
        wait(for: [finished], timeout: 30)
        XCTAssertEqual(outcome.error, .cancelled)
    }

    private final class Outcome: @unchecked Sendable {  // written by one thread, read after `wait`
        var error: PrologError?
    }

    func testHaltIsRefused() throws {
        XCTAssertThrowsError(try KnowledgeBase().solve("halt")) { error in
            guard case .refused? = error as? PrologError else { return XCTFail("\(error)") }
        }
    }

    func testUncaughtExceptionsAreReportedAsWritten() throws {
        try expectError(.uncaught("oops(1,\"two\")"), "", "throw(oops(1, \"two\"))")
        try expectError(
            .uncaught("error(existence_error(procedure,nope/0),nope/0)"), "", "nope")
    }
}
