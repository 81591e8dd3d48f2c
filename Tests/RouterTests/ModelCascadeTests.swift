import JSON
import Router
import Skills
import Synchronization
import Testing

@Suite struct ModelCascadeTests {
    private func cascade(
        _ models: [any LanguageModel], gate: (any SpendingGate)? = RecordingGate(remainingTokens: 10_000),
        cloudEscalation: Bool = true, events: @escaping ModelCascade.EventSink = { _, _ in }
    ) -> ModelCascade {
        ModelCascade(
            models: models, spending: gate, options: RouterOptions(.init(cloudEscalation: cloudEscalation)),
            maxTokens: 256, events: events)
    }

    @Test func localModelAnswersWithoutEscalatingOrSpending() async throws {
        let gate = RecordingGate(remainingTokens: 10_000)
        let models: [any LanguageModel] = [
            ScriptedModel("claude", tier: .cloud), ScriptedModel("llama", tier: .local, answers: ["Hi ", "there"]),
        ]
        let answer = try await cascade(models, gate: gate).answer(Question(prompt: "Say hi"))
        #expect(answer.text == "Hi there")
        #expect(answer.model == "llama")
        #expect(answer.usage.escalated == false)
        #expect(answer.usage.costUSD == 0)
        #expect(answer.route == ["local:llama"])
        #expect(gate.state.withLock { $0.reserved.isEmpty })
    }

    @Test func failingLocalModelEscalatesToCloudWithinBudget() async throws {
        let gate = RecordingGate(remainingTokens: 10_000)
        let answer = try await cascade(
            [ScriptedModel("llama", tier: .local, fails: .unavailable), ScriptedModel("claude", tier: .cloud)],
            gate: gate
        ).answer(Question(prompt: "Why is the sky blue?"))
        #expect(answer.model == "claude")
        #expect(answer.usage.escalated)
        #expect(answer.usage.costUSD > 0)
        #expect(answer.route == ["local:llama (unavailable)", "cloud:claude"])
        #expect(gate.state.withLock { $0.settled } == [1])
    }

    @Test func allowCloudFalseKeepsPaidModelsOutAndSaysWhy() async throws {
        var question = Question(prompt: "Why is the sky blue?")
        question.allowCloud = false
        let error = await #expect(throws: RouterError.self) {
            try await cascade(
                [ScriptedModel("llama", tier: .local, fails: .timeout), ScriptedModel("claude", tier: .cloud)]
            ).answer(question)
        }
        #expect(error?.code == "backend_unavailable")
        #expect(error?.message.contains("llama") == true)
        #expect(error?.message.contains("allow_cloud") == true)
    }

    @Test func cloudEscalationOptionOffKeepsPaidModelsOut() async throws {
        let claude = ScriptedModel("claude", tier: .cloud)
        let error = await #expect(throws: RouterError.self) {
            try await cascade(
                [ScriptedModel("llama", tier: .local, fails: .rateLimited), claude], cloudEscalation: false
            ).answer(Question(prompt: "Hello"))
        }
        #expect(error?.code == "backend_unavailable")
        #expect(error?.message.contains("cloud_escalation") == true)
        #expect(claude.maxTokensOfCalls.isEmpty)
    }

    @Test func exhaustedBudgetRefusesWithWhatIsLeft() async throws {
        let claude = ScriptedModel("claude", tier: .cloud)
        let error = await #expect(throws: RouterError.self) {
            try await cascade([claude], gate: RecordingGate(remainingTokens: 20)).answer(Question(prompt: "Hello"))
        }
        #expect(error?.code == "budget_exceeded")
        #expect(error?.data["remaining_usd"] == 0)
        #expect(claude.maxTokensOfCalls.isEmpty)
    }

    @Test func tightBudgetLowersMaxTokensInsteadOfRefusing() async throws {
        let claude = ScriptedModel("claude", tier: .cloud)
        let promptTokens = TokenEstimate.upperBound(in: [
            ChatTurn(.system, ModelCascade.defaultSystemPrompt), ChatTurn(.user, "Hello"),
        ])
        _ = try await cascade([claude], gate: RecordingGate(remainingTokens: promptTokens + 40)).answer(
            Question(prompt: "Hello"))
        #expect(claude.maxTokensOfCalls == [40])
    }

    @Test func failedPaidCallReleasesItsReservation() async throws {
        let gate = RecordingGate(remainingTokens: 10_000)
        await #expect(throws: RouterError.self) {
            try await cascade([ScriptedModel("claude", tier: .cloud, fails: .failed)], gate: gate).answer(
                Question(prompt: "Hello"))
        }
        #expect(gate.state.withLock { ($0.released, $0.settled) } == ([1], []))
    }

    @Test func callFailingMidStreamIsBilledForWhatItStreamed() async throws {
        let gate = RecordingGate(remainingTokens: 10_000)
        var question = Question(prompt: "Tell me a story")
        question.stream = { _ in }
        await #expect(throws: RouterError.self) {
            try await cascade(
                [ScriptedModel("claude", tier: .cloud, streamsThenFails: ["Once ", "upon"])], gate: gate
            ).answer(question)
        }
        #expect(gate.state.withLock { ($0.settled, $0.released) } == ([1], []))
    }

    @Test func requestAskingForCloudSkipsLocalModels() async throws {
        let llama = ScriptedModel("llama", tier: .local)
        var question = Question(prompt: "Hello")
        question.preferredTier = "cloud"
        let answer = try await cascade([llama, ScriptedModel("claude", tier: .cloud)]).answer(question)
        #expect(answer.model == "claude")
        #expect(llama.maxTokensOfCalls.isEmpty)
    }

    @Test func coolingDownModelIsPassedOver() async throws {
        let answer = try await cascade([
            ScriptedModel("llama", tier: .local, available: false), ScriptedModel("phi", tier: .local),
        ]).answer(Question(prompt: "Hello"))
        #expect(answer.model == "phi")
        #expect(answer.route == ["local:llama (cooling down)", "local:phi"])
    }

    @Test func streamingDeliversDeltasInOrderAndEventsRecordTheDecision() async throws {
        let deltas = Mutex<[String]>([])
        let events = Mutex<[(String, JSONObject)]>([])
        var question = Question(prompt: "Count")
        question.stream = { delta in deltas.withLock { $0.append(delta) } }
        let answer = try await cascade(
            [
                ScriptedModel("llama", tier: .local, fails: .timeout),
                ScriptedModel("phi", tier: .local, answers: ["1", "2", "3"]),
            ],
            events: { type, data in events.withLock { $0.append((type, data)) } }
        ).answer(question)
        #expect(answer.text == "123")
        #expect(deltas.withLock { $0 } == ["1", "2", "3"])
        // The "answered" event is published beside the reply, not before it: wait for it.
        for _ in 0..<500 where events.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        let decisions = events.withLock { $0.map { $0.1["decision"]?.stringValue } }
        #expect(decisions == ["fallback", "answered"])
    }

    @Test func missingUsageIsEstimatedAndMarked() async throws {
        let answer = try await cascade([ScriptedModel("claude", tier: .cloud, reportsUsage: false)]).answer(
            Question(prompt: "Hello"))
        #expect(answer.usage.costEstimated)
        #expect(answer.usage.tokensOut > 0)
    }
}

@Suite struct CascadeWithModelsTests {
    @Test func questionsNoSkillClaimsGoToTheModels() async throws {
        let cascade = Cascade(
            skills: [MathSkill()],
            models: ModelCascade(
                models: [ScriptedModel("llama", tier: .local, answers: ["Paris"])], spending: nil,
                options: RouterOptions()))
        let routed = try await cascade.route(Question(prompt: "What is the capital of France?"))
        #expect(routed.answer.text == "Paris")
        #expect(routed.route + routed.answer.route == ["math", "local:llama"])
        let math = try await cascade.route(Question(prompt: "2+3"))
        #expect(math.answer.skill == "math")
    }

    @Test func withoutModelsUnclaimedQuestionsGetNoBackend() async throws {
        let error = await #expect(throws: RouterError.self) {
            try await Cascade(
                skills: [MathSkill()], models: ModelCascade(models: [], spending: nil, options: RouterOptions())
            )
            .route(Question(prompt: "What is the capital of France?"))
        }
        #expect(error?.code == "no_backend")
    }
}
