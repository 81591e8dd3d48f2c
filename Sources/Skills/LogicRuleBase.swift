/// The rules English questions are answered with: kinship derived from parent, sibling and spouse facts;
/// comparatives made transitive; and a meta-interpreter that records each proof.
enum LogicRuleBase {
    static let text = #"""
        :- dynamic isa/2, gender/2, parent_of/2, sibling_of/2, spouse_of/2, grandparent_of/2.
        :- dynamic uncle_or_aunt_of/2, cousin_of/2, cmp/3.

        parent(X, Y) :- parent_of(X, Y).
        mother(X, Y) :- parent_of(X, Y), gender(X, female).
        father(X, Y) :- parent_of(X, Y), gender(X, male).
        child(X, Y) :- parent_of(Y, X).
        son(X, Y) :- parent_of(Y, X), gender(X, male).
        daughter(X, Y) :- parent_of(Y, X), gender(X, female).
        grandparent(X, Z) :- grandparent_of(X, Z).
        grandparent(X, Z) :- parent_of(X, Y), parent_of(Y, Z).
        grandmother(X, Z) :- grandparent(X, Z), gender(X, female).
        grandfather(X, Z) :- grandparent(X, Z), gender(X, male).
        grandchild(X, Z) :- grandparent(Z, X).
        grandson(X, Z) :- grandparent(Z, X), gender(X, male).
        granddaughter(X, Z) :- grandparent(Z, X), gender(X, female).
        sibling(X, Y) :- sibling_of(X, Y).
        sibling(X, Y) :- sibling_of(Y, X).
        sibling(X, Y) :- parent_of(P, X), parent_of(P, Y), X \= Y.
        brother(X, Y) :- sibling(X, Y), gender(X, male).
        sister(X, Y) :- sibling(X, Y), gender(X, female).
        spouse(X, Y) :- spouse_of(X, Y).
        spouse(X, Y) :- spouse_of(Y, X).
        husband(X, Y) :- spouse(X, Y), gender(X, male).
        wife(X, Y) :- spouse(X, Y), gender(X, female).
        uncle_or_aunt(X, Y) :- uncle_or_aunt_of(X, Y).
        uncle_or_aunt(X, Y) :- parent_of(P, Y), sibling(X, P).
        uncle(X, Y) :- uncle_or_aunt(X, Y), gender(X, male).
        aunt(X, Y) :- uncle_or_aunt(X, Y), gender(X, female).
        cousin(X, Y) :- cousin_of(X, Y).
        cousin(X, Y) :- cousin_of(Y, X).
        cousin(X, Y) :- parent_of(P, X), parent_of(Q, Y), sibling(P, Q).
        ancestor(X, Y) :- parent_of(X, Y).
        ancestor(X, Y) :- parent_of(X, Z), ancestor(Z, Y).
        descendant(X, Y) :- ancestor(Y, X).

        greater(R, X, Y) :- greater(R, X, Y, [X]).
        greater(R, X, Y, _) :- cmp(R, X, Y).
        greater(R, X, Z, Seen) :- cmp(R, X, Y), \+ memberchk(Y, Seen), greater(R, Y, Z, [Y|Seen]).
        compared(R, X) :- cmp(R, X, _).
        compared(R, X) :- cmp(R, _, X).

        prove(true, true) :- !.
        prove((A, B), (PA, PB)) :- !, prove(A, PA), prove(B, PB).
        prove(\+ G, absent(G)) :- !, \+ prove(G, _).
        prove(X \= Y, true) :- !, X \= Y.
        prove(memberchk(X, L), true) :- !, memberchk(X, L).
        prove(G, by(G, P)) :- clause(G, Body), prove(Body, P).
        """#
}
