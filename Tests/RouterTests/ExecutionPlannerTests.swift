import Router
import Sandbox
import Store
import Testing

/// The planner's decisions from estimates and history: refusals with reasons, profile choice, predictions.
@Suite struct ExecutionPlannerTests {
    private let profiles: [String: SandboxProfile] = ["light": .light, "heavy": .heavy]

    private func decide(
        _ code: String, requested: String? = nil, history: [String: ExecutionHistory.Summary] = [:],
        profiles: [String: SandboxProfile]? = nil
    ) -> ExecutionPlan.Decision {
        ExecutionPlanner.decide(
            ExecutionEstimate(analyzing: code, language: "python"), profiles: profiles ?? self.profiles,
            defaultProfile: "light", requested: requested, history: history)
    }

    private func profile(_ decision: ExecutionPlan.Decision) -> String? {
        if case .run(let profile, _, _) = decision { return profile.name }
        return nil
    }

    private func predicted(_ decision: ExecutionPlan.Decision) -> Double? {
        if case .run(_, let millis, _) = decision { return millis }
        return nil
    }

    private func reasons(_ decision: ExecutionPlan.Decision) -> [String] {
        switch decision {
        case .run(_, _, let reasons): reasons
        case .refuse(let reason): [reason]
        }
    }

    @Test func networkUseIsRefusedWithWhatAndWhere() {
        let decision = decide("import socket\nconn = socket.create_connection(('example.com', 80))")
        guard case .refuse(let reason) = decision else {
            Issue.record("expected a refusal, got \(decision)")
            return
        }
        #expect(reason.contains("network"))
        #expect(reason.contains("line 2"))
        #expect(reason.contains("socket.create_connection"))
    }

    @Test func memoryBeyondTheLargestProfileIsRefused() {
        let decision = decide("data = bytearray(3 * 1024**3)\nprint(len(data))")
        guard case .refuse(let reason) = decision else {
            Issue.record("expected a refusal, got \(decision)")
            return
        }
        #expect(reason.contains("3 GiB"), "\(reason)")
        #expect(reason.contains("heavy: 1 GiB"), "\(reason)")
        #expect(reason.contains("line 1"))
    }

    @Test func aConfiguredBiggerProfileTakesWhatHeavyCannot() {
        var huge = SandboxProfile.heavy
        huge.name = "huge"
        huge[.memory] = 8 << 30
        let decision = decide(
            "data = bytearray(3 * 1024**3)", profiles: ["light": .light, "heavy": .heavy, "huge": huge])
        #expect(profile(decision) == "huge")
    }

    @Test func smallProgramsRunUnderLightAndBigOnesUnderHeavy() {
        let small = decide("print(sum(i * i for i in range(1000)))")
        #expect(profile(small) == "light")
        #expect(reasons(small).contains("light is enough"))
        let big = decide("data = bytearray(400 * 1024 * 1024)\nprint(len(data))")
        #expect(profile(big) == "heavy")
        #expect(reasons(big).contains { $0.contains("more than light's 256 MiB") }, "\(reasons(big))")
        let slow = decide("t = 0\nfor i in range(10**8):\n    t += i")
        #expect(profile(slow) == "heavy")
        #expect(reasons(slow).contains { $0.contains("light's 5.0 s limit") }, "\(reasons(slow))")
    }

    @Test func programsThatNeverEndStayOnTheDefaultProfileUntilItsLimit() {
        let decision = decide("while True:\n    pass")
        #expect(profile(decision) == "light")
        #expect(predicted(decision) == 5_000)
    }

    @Test func historyOfTimeoutsMovesSimilarProgramsToHeavy() {
        let past = ExecutionHistory.Summary(
            profile: "light", runs: 3, medianDurationMillis: nil, medianCPUMillis: nil, maxRSSKilobytes: 9_000,
            timeouts: 3, oomKills: 0, medianErrorMillis: nil)
        let decision = decide("n = int(input() or 5)\nfor i in range(n):\n    print(i)", history: ["light": past])
        #expect(profile(decision) == "heavy")
        #expect(reasons(decision).contains { $0.contains("3 of the last 3 similar runs under light timed out") })
    }

    @Test func historyMedianIsThePrediction() {
        let past = ExecutionHistory.Summary(
            profile: "light", runs: 4, medianDurationMillis: 812, medianCPUMillis: 790, maxRSSKilobytes: 9_000,
            timeouts: 0, oomKills: 0, medianErrorMillis: 700)
        let decision = decide("x = 1\nprint(x)", history: ["light": past])
        #expect(predicted(decision) == 812)
        #expect(profile(decision) == "light")
        #expect(reasons(decision).contains { $0.contains("4 earlier runs") })
        let measured = ExecutionHistory.Summary(
            profile: "light", runs: 2, medianDurationMillis: 300, medianCPUMillis: 290, maxRSSKilobytes: 400_000,
            timeouts: 0, oomKills: 0, medianErrorMillis: nil)
        #expect(profile(decide("x = 1", history: ["light": measured])) == "heavy", "measured memory counts")
    }

    @Test func aRequestedProfileIsUsedWhenItFits() {
        let small = decide("print(1)", requested: "heavy")
        #expect(profile(small) == "heavy")
        let big = decide("data = bytearray(400 * 1024 * 1024)", requested: "light")
        #expect(profile(big) == "heavy")
        #expect(reasons(big).contains { $0.contains("requested profile light is too small") })
    }

    @Test func thePlannerRecordsAndUsesItsHistory() throws {
        let planner = ExecutionPlanner(profiles: profiles, defaultProfile: "light")
        let plan = planner.plan(language: "python", code: "print(2 ** 10)")
        #expect(profile(plan.decision) == "light")
        #expect(plan.json["profile"] == "light")
        #expect(plan.json["reasons"]?.arrayValue?.isEmpty == false)
        #expect(plan.json["estimate"]?.objectValue?["network"] == false)
        let refused = planner.plan(language: "python", code: "import requests\nrequests.get('http://x')")
        #expect(refused.json["refused"]?.stringValue?.contains("network") == true)
    }
}
