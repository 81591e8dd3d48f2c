/// The library predicates written in Prolog. Their clause order follows SWI-Prolog's library, so that solutions
/// come in the same order. A user program that defines one of them replaces it.
enum Prelude {
    static let source = #"""
        append([], L, L).
        append([H|T], L, [H|R]) :- append(T, L, R).

        append(ListOfLists, List) :- '$append_lists'(ListOfLists, List).
        '$append_lists'([], []).
        '$append_lists'([L|Ls], As) :- append(L, Ws, As), '$append_lists'(Ls, Ws).

        member(X, [Y|Ys]) :- '$member'(Ys, X, Y).
        '$member'(_, X, X).
        '$member'([Y|Ys], X, _) :- '$member'(Ys, X, Y).

        \+ Goal :- \+ call(Goal).
        not(Goal) :- \+ call(Goal).
        once(Goal) :- call(Goal), !.
        ignore(Goal) :- (call(Goal) -> true ; true).
        forall(Condition, Action) :- \+ (call(Condition), \+ call(Action)).
        _ ^ Goal :- call(Goal).
        apply(Goal, Extra) :- Goal =.. L0, append(L0, Extra, L1), G =.. L1, call(G).
        setup_call_cleanup(Setup, Goal, Cleanup) :-
            once(Setup),
            catch(Goal, E, true),
            ignore(Cleanup),
            (nonvar(E) -> throw(E) ; true).
        call_cleanup(Goal, Cleanup) :- setup_call_cleanup(true, Goal, Cleanup).
        print_message(_, _).
        repeat.
        repeat :- repeat.
        phrase(G, L) :- phrase(G, L, []).
        phrase(G, L, R) :- call(G, L, R).

        nth0(I, L, E) :- integer(I), !, I >= 0, '$nth'(0, I, L, E).
        nth0(I, L, E) :- var(I), !, '$nth_gen'(L, E, 0, I).
        nth0(I, _, _) :- throw(error(type_error(integer, I), context(nth0/3, _))).
        nth1(I, L, E) :- integer(I), !, I >= 1, '$nth'(1, I, L, E).
        nth1(I, L, E) :- var(I), !, '$nth_gen'(L, E, 1, I).
        nth1(I, _, _) :- throw(error(type_error(integer, I), context(nth1/3, _))).
        '$nth_gen'([E|_], E, B, B).
        '$nth_gen'([_|T], E, B0, B) :- B1 is B0 + 1, '$nth_gen'(T, E, B1, B).

        last([X|Xs], Last) :- '$last'(Xs, X, Last).
        '$last'([], Last, Last).
        '$last'([X|Xs], _, Last) :- '$last'(Xs, X, Last).

        reverse(Xs, Ys) :- '$reverse'(Xs, Ys, [], Ys).
        '$reverse'([], [], Ys, Ys).
        '$reverse'([X|Xs], [_|Bound], Rs, Ys) :- '$reverse'(Xs, Bound, [X|Rs], Ys).

        select(X, [Head|Tail], Rest) :- '$select3'(Tail, Head, X, Rest).
        '$select3'(Tail, Head, Head, Tail).
        '$select3'([Head2|Tail], Head, X, [Head|Rest]) :- '$select3'(Tail, Head2, X, Rest).
        selectchk(X, List, Rest) :- select(X, List, Rest), !.
        select(X, Xs, Y, Ys) :- '$select4'(Xs, X, Y, Ys).
        '$select4'([X|T], X, Y, [Y|T]).
        '$select4'([H|T], X, Y, [H|T2]) :- '$select4'(T, X, Y, T2).
        exclude(_, [], []).
        exclude(P, [X|Xs], R) :- ( call(P, X) -> R = R1 ; R = [X|R1] ), exclude(P, Xs, R1).
        include(_, [], []).
        include(P, [X|Xs], R) :- ( call(P, X) -> R = [X|R1] ; R = R1 ), include(P, Xs, R1).
        partition(_, [], [], []).
        partition(P, [H|T], I, E) :-
            ( call(P, H) -> I = [H|I1], E = E1 ; I = I1, E = [H|E1] ),
            partition(P, T, I1, E1).

        maplist(G, L) :- '$maplist'(L, G).
        '$maplist'([], _).
        '$maplist'([X|Xs], G) :- call(G, X), '$maplist'(Xs, G).
        maplist(G, L1, L2) :- '$maplist'(L1, L2, G).
        '$maplist'([], [], _).
        '$maplist'([X|Xs], [Y|Ys], G) :- call(G, X, Y), '$maplist'(Xs, Ys, G).
        maplist(G, L1, L2, L3) :- '$maplist'(L1, L2, L3, G).
        '$maplist'([], [], [], _).
        '$maplist'([X|Xs], [Y|Ys], [Z|Zs], G) :- call(G, X, Y, Z), '$maplist'(Xs, Ys, Zs, G).
        maplist(G, L1, L2, L3, L4) :- '$maplist'(L1, L2, L3, L4, G).
        '$maplist'([], [], [], [], _).
        '$maplist'([X|Xs], [Y|Ys], [Z|Zs], [W|Ws], G) :- call(G, X, Y, Z, W), '$maplist'(Xs, Ys, Zs, Ws, G).

        foldl(G, L, V0, V) :- '$foldl'(L, G, V0, V).
        '$foldl'([], _, V, V).
        '$foldl'([X|Xs], G, V0, V) :- call(G, X, V0, V1), '$foldl'(Xs, G, V1, V).
        foldl(G, L1, L2, V0, V) :- '$foldl'(L1, L2, G, V0, V).
        '$foldl'([], [], _, V, V).
        '$foldl'([X|Xs], [Y|Ys], G, V0, V) :- call(G, X, Y, V0, V1), '$foldl'(Xs, Ys, G, V1, V).
        foldl(G, L1, L2, L3, V0, V) :- '$foldl'(L1, L2, L3, G, V0, V).
        '$foldl'([], [], [], _, V, V).
        '$foldl'([X|Xs], [Y|Ys], [Z|Zs], G, V0, V) :-
            call(G, X, Y, Z, V0, V1), '$foldl'(Xs, Ys, Zs, G, V1, V).

        predsort(P, L, Sorted) :-
            length(L, N),
            ( N =:= 0 -> Sorted = [] ; '$predsort'(P, N, L, _, Sorted1), !, Sorted = Sorted1 ).
        '$predsort'(P, 2, [X1, X2|L], L, R) :- !, call(P, Delta, X1, X2), '$predsort2'(Delta, X1, X2, R).
        '$predsort'(_, 1, [X|L], L, [X]) :- !.
        '$predsort'(_, 0, L, L, []) :- !.
        '$predsort'(P, N, L1, L3, R) :-
            N1 is N // 2, plus(N1, N2, N),
            '$predsort'(P, N1, L1, L2, R1), '$predsort'(P, N2, L2, L3, R2),
            '$predmerge'(P, R1, R2, R).
        '$predsort2'(<, X1, X2, [X1, X2]).
        '$predsort2'(=, X1, _, [X1]).
        '$predsort2'(>, X1, X2, [X2, X1]).
        '$predmerge'(_, [], R, R) :- !.
        '$predmerge'(_, R, [], R) :- !.
        '$predmerge'(P, [H1|T1], [H2|T2], Result) :-
            call(P, Delta, H1, H2), !,
            '$predmerge_'(Delta, P, H1, H2, T1, T2, Result).
        '$predmerge_'(<, P, H1, H2, T1, T2, [H1|R]) :- '$predmerge'(P, T1, [H2|T2], R).
        '$predmerge_'(=, P, H1, _, T1, T2, [H1|R]) :- '$predmerge'(P, T1, T2, R).
        '$predmerge_'(>, P, H1, H2, T1, T2, [H2|R]) :- '$predmerge'(P, [H1|T1], T2, R).

        list_to_set(List, Set) :- '$list_to_set'(List, [], Set).
        '$list_to_set'([], _, []).
        '$list_to_set'([H|T], Seen, R) :-
            ( '$memberchk_eq'(H, Seen) -> R = R1 ; R = [H|R1] ),
            '$list_to_set'(T, [H|Seen], R1).
        '$memberchk_eq'(X, [Y|Ys]) :- ( X == Y -> true ; '$memberchk_eq'(X, Ys) ).
        is_set(Set) :- is_list(Set), '$no_duplicates'(Set).
        '$no_duplicates'([]).
        '$no_duplicates'([H|T]) :- \+ '$memberchk_eq'(H, T), '$no_duplicates'(T).
        subset([], _).
        subset([E|R], Set) :- memberchk(E, Set), subset(R, Set).
        subtract([], _, []).
        subtract([E|T], D, R) :- ( memberchk(E, D) -> R = R1 ; R = [E|R1] ), subtract(T, D, R1).
        intersection([], _, []).
        intersection([X|T], L, I) :- ( memberchk(X, L) -> I = [X|R] ; I = R ), intersection(T, L, R).
        union([], L, L).
        union([H|T], L, R) :- ( memberchk(H, L) -> R = R1 ; R = [H|R1] ), union(T, L, R1).
        delete([], _, []).
        delete([E|T], D, R) :- ( E \= D -> R = [E|R1] ; R = R1 ), delete(T, D, R1).
        nextto(X, Y, [X, Y|_]).
        nextto(X, Y, [_|Zs]) :- nextto(X, Y, Zs).
        permutation(Xs, Ys) :-
            ( is_list(Xs) -> length(Xs, N), length(Ys, N)
            ; is_list(Ys) -> length(Ys, N), length(Xs, N)
            ; true ),
            '$permutation'(Xs, Ys).
        '$permutation'([], []).
        '$permutation'(List, [First|Perm]) :- select(First, List, Rest), '$permutation'(Rest, Perm).
        flatten(List, Flat) :- '$flatten'(List, [], Flat0), !, Flat = Flat0.
        '$flatten'(Var, Tl, [Var|Tl]) :- var(Var), !.
        '$flatten'([], Tl, Tl) :- !.
        '$flatten'([Hd|Tl], Tail, List) :- !, '$flatten'(Hd, FlatHeadTail, List), '$flatten'(Tl, Tail, FlatHeadTail).
        '$flatten'(NonList, Tl, [NonList|Tl]).
        max_member(Max, [H|T]) :- '$max_member'(T, H, Max).
        '$max_member'([], Max, Max).
        '$max_member'([H|T], M0, Max) :- ( H @> M0 -> M1 = H ; M1 = M0 ), '$max_member'(T, M1, Max).
        min_member(Min, [H|T]) :- '$min_member'(T, H, Min).
        '$min_member'([], Min, Min).
        '$min_member'([H|T], M0, Min) :- ( H @< M0 -> M1 = H ; M1 = M0 ), '$min_member'(T, M1, Min).
        pairs_keys_values([], [], []).
        pairs_keys_values([K-V|T], [K|Ks], [V|Vs]) :- pairs_keys_values(T, Ks, Vs).
        pairs_keys([], []).
        pairs_keys([K-_|T], [K|Ks]) :- pairs_keys(T, Ks).
        pairs_values([], []).
        pairs_values([_-V|T], [V|Vs]) :- pairs_values(T, Vs).
        concat_atom(L, R) :- atomic_list_concat(L, R).
        concat_atom(L, S, R) :- atomic_list_concat(L, S, R).

        current_op(P, T, N) :- '$current_op'(L), member(op(P, T, N), L).
        current_predicate(Spec) :- '$defined_predicates'(L), member(Spec, L).

        aggregate_all(count, G, C) :- !, findall(x, G, L), length(L, C).
        aggregate_all(count(T), G, C) :- !, findall(T, G, L), length(L, C).
        aggregate_all(sum(E), G, S) :- !, findall(E, G, L), sum_list(L, S).
        aggregate_all(max(E), G, M) :- !, findall(E, G, L), L \== [], max_list(L, M).
        aggregate_all(min(E), G, M) :- !, findall(E, G, L), L \== [], min_list(L, M).
        aggregate_all(bag(E), G, L) :- !, findall(E, G, L).
        aggregate_all(set(E), G, S) :- !, findall(E, G, L), sort(L, S).

        bagof(Templ, Goal0, List) :-
            '$free_variable_set'(Templ^Goal0, Goal, Vars),
            (   Vars == v
            ->  findall(Templ, Goal, List),
                List \== []
            ;   findall(Vars-Templ, Goal, Answers),
                '$bind_bagof_keys'(Answers, _),
                keysort(Answers, Sorted),
                '$pick'(Sorted, Vars, List)
            ).
        setof(Templ, Goal0, List) :-
            '$free_variable_set'(Templ^Goal0, Goal, Vars),
            (   Vars == v
            ->  findall(Templ, Goal, Answers),
                Answers \== [],
                sort(Answers, List)
            ;   findall(Vars-Templ, Goal, Answers),
                (   ground(Answers)
                ->  sort(Answers, Sorted),
                    '$pick'(Sorted, Vars, List)
                ;   '$bind_bagof_keys'(Answers, _),
                    sort(Answers, Sorted),
                    '$pick'(Sorted, Vars, Listu),
                    sort(Listu, List)
                )
            ).
        '$bind_bagof_keys'([], _).
        '$bind_bagof_keys'([W-_|WTs], Vars) :- term_variables(W, Vars, _), '$bind_bagof_keys'(WTs, Vars).
        '$pick'(Bags, Vars1, Bag1) :-
            '$pick_first'(Bags, Vars0, Bag0, RestBags),
            '$select_bag'(RestBags, Vars0, Bag0, Vars1, Bag1).
        '$select_bag'([], Vars0, Bag0, Vars1, Bag1) :- !, Vars0 = Vars1, Bag0 = Bag1.
        '$select_bag'(_, Vars, Bag, Vars, Bag).
        '$select_bag'(RestBags, _, _, Vars1, Bag1) :- '$pick'(RestBags, Vars1, Bag1).
        '$pick_first'([Vars-Templ|T0], Vars, [Templ|T], RestBag) :- '$pick_same'(T0, Vars, T, RestBag).
        '$pick_same'([V-H|T0], Vars, [H|T], Bag) :- V == Vars, !, '$pick_same'(T0, Vars, T, Bag).
        '$pick_same'(Bag, _, [], Bag).
        """#
}
