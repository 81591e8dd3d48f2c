import Router
import XCTest

/// How the code skill finds code in a question, and when it passes: pattern checks only, no model.
final class CodeBlockTests: XCTestCase {
    func testTaggedFencesGiveTheirLanguage() {
        XCTAssertEqual(
            CodeIntent.of("Run this:\n```python\nprint(2**100)\n```"),
            .run(FoundCode(language: "python", code: "print(2**100)")))
        XCTAssertEqual(
            CodeIntent.of("```py\nx = 3\nprint(x * 7)\n```"),
            .run(FoundCode(language: "python", code: "x = 3\nprint(x * 7)")))
        XCTAssertEqual(
            CodeIntent.of("What does this print?\n```sh\necho $((6 * 7))\n```"),
            .run(FoundCode(language: "sh", code: "echo $((6 * 7))")))
        XCTAssertEqual(
            CodeIntent.of("```bash\nfor i in 1 2 3; do echo $i; done\n```"),
            .run(FoundCode(language: "bash", code: "for i in 1 2 3; do echo $i; done")))
        XCTAssertEqual(
            CodeIntent.of("~~~python3\nprint('tilde')\n~~~"),
            .run(FoundCode(language: "python", code: "print('tilde')")))
    }

    func testUntaggedFenceRunsOnlyWhenClearlyPython() {
        XCTAssertEqual(
            CodeIntent.of("```\nimport math\nprint(math.factorial(20))\n```"),
            .run(FoundCode(language: "python", code: "import math\nprint(math.factorial(20))")))
        XCTAssertEqual(
            CodeIntent.of("```\nfor n in range(3):\n    print(n)\n```"),
            .run(FoundCode(language: "python", code: "for n in range(3):\n    print(n)")))
        XCTAssertNil(CodeIntent.of("```\nint main() {\n  printf(\"hi\");\n}\n```"), "C is not Python")
        XCTAssertNil(CodeIntent.of("```\nconsole.log(1);\n```"), "JavaScript is not Python")
        XCTAssertNil(CodeIntent.of("```\nthe quick brown fox\n```"), "prose in a fence is not code")
    }

    func testSeveralBlocksOfOneLanguageRunTogetherInOrder() {
        let prompt = """
            Run this:
            ```python
            def square(n):
                return n * n
            ```
            and then
            ```python
            print(square(12))
            ```
            """
        XCTAssertEqual(
            CodeIntent.of(prompt),
            .run(FoundCode(language: "python", code: "def square(n):\n    return n * n\n\nprint(square(12))")))
        XCTAssertNil(
            CodeIntent.of("```python\nprint(1)\n```\n```bash\necho 2\n```"), "two languages: unclear what to run")
        XCTAssertEqual(
            CodeIntent.of("```python\nprint(1)\n```\nExpected output:\n```text\n1\n```"),
            .run(FoundCode(language: "python", code: "print(1)")), "a text block is not code")
    }

    func testOtherLanguagesAndQuestionsAboutCodePass() {
        XCTAssertNil(CodeIntent.of("```javascript\nconsole.log(1)\n```"))
        XCTAssertNil(CodeIntent.of("```json\n{\"a\": 1}\n```"))
        XCTAssertNil(CodeIntent.of("Explain this code:\n```python\nprint(sorted([3, 1, 2]))\n```"))
        XCTAssertNil(CodeIntent.of("Can you review this?\n```python\nprint(1)\n```"))
        XCTAssertNil(CodeIntent.of("Please fix this bug:\n```python\nprint(undefined)\n```"))
        XCTAssertNil(CodeIntent.of("```python\n```"), "an empty block has nothing to run")
    }

    func testInlineRunRequests() {
        XCTAssertEqual(
            CodeIntent.of("Run this: print(2**100)"), .run(FoundCode(language: "python", code: "print(2**100)")))
        XCTAssertEqual(
            CodeIntent.of("execute this python code: `print(sum(range(10)))`"),
            .run(FoundCode(language: "python", code: "print(sum(range(10)))")))
        XCTAssertEqual(
            CodeIntent.of("Run this bash command: echo hello"), .run(FoundCode(language: "bash", code: "echo hello")))
        XCTAssertNil(CodeIntent.of("Run this: the dishwasher"), "not code")
        XCTAssertNil(CodeIntent.of("Run the dishwasher at 9"))
        XCTAssertNil(CodeIntent.of("Running total of 3 and 4?"))
    }

    func testComputeRequestsAskForAWrittenProgram() {
        XCTAssertEqual(CodeIntent.of("Write and run a program that counts the primes below 10000."), .write)
        XCTAssertEqual(CodeIntent.of("Use Python to compute the 50th Fibonacci number."), .write)
        XCTAssertEqual(CodeIntent.of("Compute the sum of the digits of 2^1000 using Python."), .write)
        XCTAssertEqual(CodeIntent.of("Can you use code to count the Sundays in 2031?"), .write)
        XCTAssertNil(CodeIntent.of("How do I use Python to read a CSV file?"), "a how-to question, for a model")
        XCTAssertNil(CodeIntent.of("What's wrong with Python 2?"), "Python named, nothing to compute")
        XCTAssertNil(CodeIntent.of("Write a Python script to rename my photos."), "asks for the program itself")
        XCTAssertNil(CodeIntent.of("What is the capital of France?"))
        XCTAssertNil(CodeIntent.of("What is 2 + 2?"))
    }
}
