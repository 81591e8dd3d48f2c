import Logging
import Memory
import Router
import Skills
import Store

/// The LLM tiers' context from memory: the session's recent turns (within `[memory] session_token_budget`), the
/// facts most relevant to the question with their sources, and each answered exchange remembered in its session.
struct MemoryContext: AnswerContext {
    let store: MemoryStore
    let conversations: ConversationMemory
    let logger: Logger

    func prepare(_ question: Question) async -> PreparedContext {
        var prepared = PreparedContext()
        do {
            let hits = try await store.relevantFacts(for: question.prompt, session: question.session)
            prepared.systemAddition = FactContext.promptBlock(hits)
            prepared.sources = FactContext.sources(hits)
        } catch {
            logger.warning("memory search for the prompt failed, answering without facts: \(error)")
        }
        if let session = question.session {
            do {
                prepared.turns = try conversations.recent(session: session).compactMap { turn in
                    switch turn.role {
                    case .user: ChatTurn(.user, turn.text)
                    case .assistant: ChatTurn(.assistant, turn.text)
                    case .system: nil
                    }
                }
            } catch {
                logger.warning("could not read session \(session), answering without it: \(error)")
            }
        }
        return prepared
    }

    func record(_ question: Question, answer: String) async {
        guard let session = question.session else { return }
        do {
            try conversations.record(session: session, question: question.prompt, answer: answer)
        } catch {
            logger.warning("could not remember the exchange in session \(session): \(error)")
        }
    }
}
