"""How well the exercise checkers diagnose wrong answers written the way learners write them.

Sets of wrong implementations of every exercise (at least 3 per exercise in each,
written for this script, not taken from tests/), and correct ones in other styles (loops,
einsum, other formulas). Set "first" was written first and run against the checkers; the
slips it found without a name were then given one. Set "second" was written after that and
did the same. Set "held-out" was written last, and the checkers were not changed for it: its
row is the honest score. Set "last" was written after every change, with no fragments: each of
its verdicts was sorted by reading the message (REVIEWED). Set "s6" (session 6, 83 wrong and 11
correct answers) was written and measured before any checker was changed, then its slips were
given names; its first measurement was 1 accepted, 36 named, 7 misleading, 39 generic, and 0 of
11 correct answers rejected. Set "s6-fresh" (40 wrong, 10 correct) was written after those
changes and measured once: 0 accepted, 13 named, 0 misleading, 27 generic, 0 correct rejected;
then general diagnoses (axes in another order, a slice along one axis, other activations, ...)
were added, so its later rows are not held out. Set "s6-final" (30 wrong, 10 correct) was
written after that and measured once: 0 accepted, 8 named, 2 misleading, 20 generic, 0 correct
rejected; the two misleading messages were then fixed (REVIEWED says which), and its generic
ones were given general or named diagnoses. Set "s6-last" (30 wrong, 5 correct) was written
after that and measured once: 0 accepted, 7 named, 0 misleading, 23 generic, 0 correct
rejected; then its generic ones, and the rest of s6-fresh's, were given named diagnoses. Set
"s6-end" (30 wrong, 8 correct) was written after that and measured once: 0 accepted, 11 named,
1 misleading, 18 generic, 0 correct rejected; only its misleading message was fixed after
it. Those single measurements are the honest held-out scores of session 6.

Session 7 added no named slips but a general "locate" diagnosis: when no slip is named, the
message gets a line "Where it goes wrong: ..." that says where the answer first departs from
rnnlib's (which output, block of rows, state, window, entry, array, epoch or gate), confirmed
on the values or on special inputs, and which equation or line of the learner's code that part
is made by. Set "s7-before" (52 wrong, 10 correct, 4 per exercise for all 13) was written and
measured before any checker was changed, with the "@" fragments of the part that holds each
slip: 0 accepted, 34 named, 3 misleading, 15 generic, 0 of 10 correct rejected as measured;
read, the 3 misleading ones name the real slip in other words (REVIEWED: 37 named, 0
misleading, 15 generic; 7 of the 15 already named the part through the special inputs). As
measured, before any change:

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 4 | 0 | 2 | 0 | 0 | 2 | 1 of 1 |
| forward_step | 4 | 0 | 2 | 0 | 0 | 2 | 1 of 1 |
| rnn_forward | 4 | 0 | 2 | 0 | 0 | 2 | 0 of 0 |
| mse_loss | 4 | 0 | 4 | 0 | 0 | 0 | 1 of 1 |
| backward_step | 4 | 0 | 4 | 0 | 0 | 0 | 1 of 1 |
| bptt | 4 | 0 | 1 | 0 | 2 | 1 | 1 of 1 |
| numerical_gradient | 4 | 0 | 3 | 0 | 0 | 1 | 1 of 1 |
| clip_gradients | 4 | 0 | 4 | 0 | 0 | 0 | 1 of 1 |
| train_rnn | 4 | 0 | 3 | 0 | 1 | 0 | 0 of 0 |
| gru_step | 4 | 0 | 4 | 0 | 0 | 0 | 1 of 1 |
| gru_step_backward | 4 | 0 | 1 | 0 | 0 | 3 | 0 of 0 |
| sequence_backward_step | 4 | 0 | 2 | 0 | 0 | 2 | 1 of 1 |
| temperature_probabilities | 4 | 0 | 2 | 0 | 0 | 2 | 1 of 1 |
| all | 52 | 0 | 34 | 0 | 3 | 15 | 10 of 10 |

The checkers were then changed with s7-before in view, so its row printed now (37 named, 15
located) is not held out. Set "s7-after" (39 wrong, 11 correct, 3 per exercise) was written
after the last checker change and measured once, nothing changed after it:

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| forward_step | 3 | 0 | 2 | 1 | 0 | 0 | 1 of 1 |
| rnn_forward | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| mse_loss | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| backward_step | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| bptt | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| numerical_gradient | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| clip_gradients | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| train_rnn | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| gru_step | 3 | 0 | 0 | 3 | 0 | 0 | 0 of 0 |
| gru_step_backward | 3 | 0 | 0 | 3 | 0 | 0 | 0 of 0 |
| sequence_backward_step | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| temperature_probabilities | 3 | 0 | 2 | 1 | 0 | 0 | 1 of 1 |
| all | 39 | 0 | 9 | 30 | 0 | 0 | 11 of 11 |

Every s7-after message was then read: two of the 30 "located" GRU messages list three places
(the candidate n, r, or z away from 1) rather than one part, so REVIEWED sorts them generic,
and the table printed now shows 9 named, 28 located, 2 generic: 37 of 39 (95 %) tell the
learner what to fix, 9 of 39 (23 %) name the slip itself. Several located lines also name the
confirmed cause ("states[3] ... is forward_step(X[:, 2], states[1], U, W, b)"), but only the
text before the located line counts for "named".

Set "s7-final" (39 wrong, 11 correct, 3 per exercise, written not to repeat an older set's slip)
was written after s7-after, with its fragments, and measured once with the checkers as they
were for s7-after; nothing changed after it. As measured:

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| forward_step | 3 | 0 | 0 | 1 | 0 | 2 | 1 of 1 |
| rnn_forward | 3 | 0 | 0 | 2 | 0 | 1 | 0 of 0 |
| mse_loss | 3 | 0 | 1 | 1 | 1 | 0 | 1 of 1 |
| backward_step | 3 | 0 | 2 | 1 | 0 | 0 | 1 of 1 |
| bptt | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| numerical_gradient | 3 | 0 | 0 | 0 | 1 | 2 | 0 of 1 |
| clip_gradients | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| train_rnn | 3 | 0 | 1 | 1 | 1 | 0 | 1 of 1 |
| gru_step | 3 | 0 | 1 | 1 | 0 | 1 | 1 of 1 |
| gru_step_backward | 3 | 0 | 3 | 0 | 0 | 0 | 0 of 0 |
| sequence_backward_step | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| temperature_probabilities | 3 | 0 | 2 | 1 | 0 | 0 | 1 of 1 |
| all | 39 | 0 | 12 | 18 | 3 | 6 | 10 of 11 |

Every s7-final message was then read. One "located" GRU message (the sigmoid written 1 / 1 +
np.exp(-v)) lists three places (the candidate n, r, or z away from 1), its "@r" matched
loosely: REVIEWED sorts it generic, so by reading gru_step is 1 named, 0 located, 2 generic and
the set 0 accepted, 12 named, 17 located, 3 misleading, 7 generic (29 of 39, 74 %, tell the
learner what to fix; 12 of 39, 31 %, name the slip). The three misleading ones stand as
measured: an int() loss is blamed on "//", a floor division that is not there; grad = x (the
gradient written into x itself) gets "restore each element after perturbing it", which the
answer does; a return inside the epoch loop gets "only the first update took effect" (true)
but then "each epoch must start from the parameters the previous one produced" (it does). The
correct answer rejected is a five-point stencil, (-f(x + 2 eps) + 8 f(x + eps) - 8 f(x - eps) +
f(x - 2 eps)) / (12 eps): it is not the central difference the notebook asks for, so refusing
it at eps = 1e-3 is defensible, but the message's reason ("your function ignores its argument
eps") is wrong. Two located lines point at the part that comes out wrong but at an equation
the learner wrote right, because a later line overwrote it in place (np.matmul(d, W, out=d) in
backward_step, g *= 1 - h_t**2 in sequence_backward_step); they are left located. The four
messages above (the int() loss, grad = x, the return inside the epoch loop, the five-point
stencil's reason) were fixed after this measurement, so s7-final's row printed now is no longer
held out.

s7-after and s7-final together, by reading (6 wrong answers per exercise, 78 in all):

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 6 | 0 | 1 | 5 | 0 | 0 | 2 of 2 |
| forward_step | 6 | 0 | 2 | 2 | 0 | 2 | 2 of 2 |
| rnn_forward | 6 | 0 | 0 | 5 | 0 | 1 | 1 of 1 |
| mse_loss | 6 | 0 | 2 | 3 | 1 | 0 | 2 of 2 |
| backward_step | 6 | 0 | 3 | 3 | 0 | 0 | 2 of 2 |
| bptt | 6 | 0 | 1 | 5 | 0 | 0 | 2 of 2 |
| numerical_gradient | 6 | 0 | 0 | 3 | 1 | 2 | 1 of 2 |
| clip_gradients | 6 | 0 | 1 | 5 | 0 | 0 | 2 of 2 |
| train_rnn | 6 | 0 | 1 | 4 | 1 | 0 | 2 of 2 |
| gru_step | 6 | 0 | 1 | 1 | 0 | 4 | 1 of 1 |
| gru_step_backward | 6 | 0 | 3 | 3 | 0 | 0 | 0 of 0 |
| sequence_backward_step | 6 | 0 | 2 | 4 | 0 | 0 | 2 of 2 |
| temperature_probabilities | 6 | 0 | 4 | 2 | 0 | 0 | 2 of 2 |
| all | 78 | 0 | 21 | 45 | 3 | 9 | 21 of 22 |

66 of 78 (85 %) tell the learner what to fix, 21 of 78 (27 %) name the slip, 3 (4 %) mislead.

Set "s7-heldout3" (40 wrong, 12 correct; 3 per exercise, 4 for temperature_probabilities) was
written after s7-final's four messages were fixed, not to repeat a slip of any older set, with
its fragments, and measured once; nothing changed after it. As measured:

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| forward_step | 3 | 0 | 1 | 1 | 0 | 1 | 1 of 1 |
| rnn_forward | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| mse_loss | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| backward_step | 3 | 0 | 2 | 1 | 0 | 0 | 1 of 1 |
| bptt | 3 | 0 | 1 | 1 | 0 | 1 | 1 of 1 |
| numerical_gradient | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| clip_gradients | 3 | 1 | 0 | 2 | 0 | 0 | 1 of 1 |
| train_rnn | 3 | 0 | 2 | 0 | 0 | 1 | 1 of 1 |
| gru_step | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| gru_step_backward | 3 | 0 | 3 | 0 | 0 | 0 | 0 of 0 |
| sequence_backward_step | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| temperature_probabilities | 4 | 0 | 2 | 0 | 2 | 0 | 0 of 1 |
| all | 40 | 1 | 17 | 17 | 2 | 3 | 11 of 12 |

Every s7-heldout3 message was then read (REVIEWED), and five verdicts re-sorted. The cumulative
input X[:, :t + 1].sum(axis=1) passed to forward_step is told "your line ... passes U where it
expects h_prev; W where it expects U; b where it expects W": the arguments are in the right
order (the comma inside the slice was read as a separator), so it is misleading, though its
located line (step 2) is right. The float32-rounded saved value in numerical_gradient gets "x is
left changed ...: restore each element after perturbing it (save it first, put it back ...)":
the answer does both, the slip is the np.float32 of the saved value, so the message names the
part (the save and restore) but not the slip: located. The reset gate without its input part
lists three places (the candidate n, r, or z away from 1): generic. The two temperature answers
without an "@" fragment of the message's words point at the part that holds the slip: scores
raised to 1 / T get "look at what goes into the normalisation, e = np.exp((y_hat - ...) / T)",
and log-probabilities returned get "the rows of p do not sum to 1: look at the normalisation":
located. By reading:

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| forward_step | 3 | 0 | 1 | 1 | 0 | 1 | 1 of 1 |
| rnn_forward | 3 | 0 | 1 | 1 | 1 | 0 | 1 of 1 |
| mse_loss | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| backward_step | 3 | 0 | 2 | 1 | 0 | 0 | 1 of 1 |
| bptt | 3 | 0 | 1 | 1 | 0 | 1 | 1 of 1 |
| numerical_gradient | 3 | 0 | 0 | 3 | 0 | 0 | 1 of 1 |
| clip_gradients | 3 | 1 | 0 | 2 | 0 | 0 | 1 of 1 |
| train_rnn | 3 | 0 | 2 | 0 | 0 | 1 | 1 of 1 |
| gru_step | 3 | 0 | 1 | 1 | 0 | 1 | 1 of 1 |
| gru_step_backward | 3 | 0 | 3 | 0 | 0 | 0 | 0 of 0 |
| sequence_backward_step | 3 | 0 | 1 | 2 | 0 | 0 | 1 of 1 |
| temperature_probabilities | 4 | 0 | 2 | 2 | 0 | 0 | 0 of 1 |
| all | 40 | 1 | 16 | 18 | 1 | 4 | 11 of 12 |

34 of 40 (85 %) tell the learner what to fix, 16 of 40 (40 %) name the slip, 1 misleads. The
one accepted is clip_gradients returning a generator, (g * factor for g in grads), where the
exercise asks for a new list (the values are right; grads[0] or a second pass would fail). The
four generic ones: a loop over the units one short (range(H - 1)) in forward_step; int
accumulators in bptt (numpy's UFuncTypeError text in the learner's line, no cause); one update
per record in train_rnn (observations only); the reset gate without its input part (three
places). The correct answer rejected, exp((y_hat - np.max(y_hat)) / T) with the largest score of
the whole batch, is not correct in floating point: a row whose scores lie far below the batch's
largest underflows to 0 / 0 = NaN at T = 0.05, so refusing it is right, but the message's cause
("exp(y_hat / T) overflowed") is not: it underflowed (its fix, subtracting each row's largest
score, is right).
After this measurement three of its findings were fixed (the argument-order rule now reads the
calls from the syntax tree, clip_gradients refuses a generator, the temperature message says
overflow or underflow), so s7-heldout3's row printed now is no longer held out.

s7-after, s7-final and s7-heldout3 together, by reading (the recorded by-reading rows of the first
two; 118 wrong answers):

| exercise | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| make_windows | 9 | 0 | 2 | 7 | 0 | 0 | 3 of 3 |
| forward_step | 9 | 0 | 3 | 3 | 0 | 3 | 3 of 3 |
| rnn_forward | 9 | 0 | 1 | 6 | 1 | 1 | 2 of 2 |
| mse_loss | 9 | 0 | 3 | 5 | 1 | 0 | 3 of 3 |
| backward_step | 9 | 0 | 5 | 4 | 0 | 0 | 3 of 3 |
| bptt | 9 | 0 | 2 | 6 | 0 | 1 | 3 of 3 |
| numerical_gradient | 9 | 0 | 0 | 6 | 1 | 2 | 2 of 3 |
| clip_gradients | 9 | 1 | 1 | 7 | 0 | 0 | 3 of 3 |
| train_rnn | 9 | 0 | 3 | 4 | 1 | 1 | 3 of 3 |
| gru_step | 9 | 0 | 2 | 2 | 0 | 5 | 2 of 2 |
| gru_step_backward | 9 | 0 | 6 | 3 | 0 | 0 | 0 of 0 |
| sequence_backward_step | 9 | 0 | 3 | 6 | 0 | 0 | 3 of 3 |
| temperature_probabilities | 10 | 0 | 6 | 4 | 0 | 0 | 2 of 3 |
| all | 118 | 1 | 37 | 63 | 4 | 13 | 32 of 34 |

100 of 118 (85 %) tell the learner what to fix, 37 of 118 (31 %) name the slip, 4 (3 %) mislead,
1 (1 %) is accepted.

Session 8. The generic verdicts of the three session-7 sets were then given diagnoses (the GRU
step's special inputs decide one part; a unit loop one short; integer accumulators; one update
per record; ...): by reading, all 118 now tell what to fix. Then three sets were written by
helpers who read no checker code and no message: "s8" (43 wrong, 13 correct) and "s9" (48
wrong, 12 correct), measured once after those changes, and "s10" (42 wrong, 13 correct),
written while the findings of s8 and s9 were being fixed and measured once after them. By
reading, as measured:

| set | wrong | accepted | named | located | misleading | generic | correct accepted |
|---|---|---|---|---|---|---|---|
| s8 | 43 | 4 | 18 | 18 | 1 | 2 | 13 of 13 |
| s9 | 48 | 1 | 28 | 12 | 2 | 5 | 12 of 12 |
| s10 | 42 | 0 | 14 | 23 | 2 | 3 | 13 of 13 |

s8: 36 of 43 (84 %) tell what to fix; accepted: a forward pass that starts from the state its
last call left, c as a column (right while O = 1), L kept in a (1, 1) array, a numerical
gradient that skips zero entries; misleading: a loop that rebinds its name blamed on the
condition's direction. s9: 40 of 48 (83 %); accepted: a numerical gradient added to a buffer
kept between calls; misleading: squared errors in place blamed on the formula of dY_hat, rounded
probabilities blamed on the normalisation. s10: 37 of 42 (88 %), 0 accepted; misleading: N = 50
typed in (pointed at the errors), a gradient not divided by N in train_rnn (hidden by clipping
in the first updates, pointed at the next epoch's start); generic: a buffer made with one
channel, np.linalg.norm(g, "fro") on the biases, Y_hat given to BPTT. The three: 113 of 133
(85 %) tell what to fix, 5 accepted, 5 misleading, every correct answer accepted. Each finding
was then given a rule (a first call repeated on the same inputs, which names a function that
keeps something between calls; a case with O = 6; zero entries in numerical_gradient's course
cases; shapes named as products, N H; ...), so the rows printed now are not held out.

Set "s11" (42 wrong, 13 correct) was written last, by a helper who read no checker code or
message, and measured once after every change above. By reading: 3 accepted, 17 named, 13
located, 2 misleading, 7 generic, 13 of 13 correct accepted: 30 of 42 (71 %) tell what to fix.
Accepted: an error at the top written for O = 1 (dY_hat * V; every bptt case had O = 1),
mini-batches of ten (every train_rnn case has N < 10, where that is one full batch), a stop when
the loss rises (no train_rnn case makes it rise). Misleading: a rounded gradient pointed at the
difference quotient, a temperature clamped at 0.1 blamed on float32. Generic: a series padded
at the end (the shape only), ^ for the power, f used without calling it, a division by a zero
norm, the arrays split back into equal pieces, db made a column, b_z added after the sigmoid.
Then: a bptt case with O = 7; rounded results named in every checker (seen on the values);
"float32" said only when every value is a float32 number; ^, an uncalled function and a
division by zero told in the course's terms. The two train_rnn gaps are left.

Session 9. Sets "s12" (53 wrong, 13 correct) and "s13" (60 wrong, 13 correct) were written
side by side by two helpers who read no checker code or message (s12's writer printed the
exercises' reference wrappers once, to see the signatures) and ran no checker. s12 was
measured once, after the train_rnn gaps of s11 were closed (a case with N = 12 and a loss that
rises, data kept from a first call): by reading, 5 accepted, 22 named, 19 located, 3
misleading, 3 generic: 41 of 52 (79 %) tell what to fix (its bptt answer for k > T is right
where notebook 03 defines the exercise, 1 <= k <= T, and counts as correct). Accepted: lists
returned for arrays (make_windows, mse_loss), one buffer returned by every call (forward_step),
delta_t clipped (no case with |delta| > 1), an early return at the top step (no case with
dh_next = 0). Misleading: a top-3 filter blamed on the normalisation, gradients divided by N
blamed on the gate errors, k rebound by a loop variable blamed on the next epoch's start.
s13 was then measured once, after those findings had rules (lists refused, one returned
buffer caught by a call on other inputs, a case with large dh_t, one with dh_next = 0,
(N, N, O) named, arithmetic on a list, a threshold typed in, a top-k filter, a common factor
1/N, a rebound k or threshold, an X changed before training): by reading, 1 accepted, 28
named, 20 located, 5 misleading, 6 generic: 48 of 60 (80 %). Accepted: a one-hot below a small
temperature (the small-T case is one-hot anyway). Misleading: a method appended for h.copy(),
gates cached from a first call, exp overflowing without the shift (blamed on the loop start),
zeros or threshold / norm where nothing may change (both blamed on the factor). The fragment
sorting above prints other counts for both sets (it misses named slips said in other words).
Set "s14" (56 wrong, 13 correct), written by a third helper beside the s13 fixes (a method for
h.copy(), a return inside the loop, T read from D's axis, a shape tuple used as N, state kept
from a first call, a size typed into a reshape, 1-D results kept 2-D, a one-hot at small T, exp
overflow, iterators read twice, a comprehension without its variable, a factor other than 1
below the threshold, Adam, the learning rate twice, parameters unpacked in another order), was
measured once after them: by reading, 0 accepted, 24 named, 17 located, 5 misleading, 10
generic: 41 of 56 (73 %), 13 of 13 correct accepted. Generic: an extra seed window, an
iterator used up before a reshape, np.add's third argument (out), dropout and a leaky
update in forward_step (no located line), f() unpacked as (L, grad), the GRU mix without
brackets, b reshaped (H, 3), hstacked gate blocks, np.outer on 2-D arrays, c left out of a
recomputed prediction. Misleading: a squeezed X, np.split given sizes, a uniform floor
under the softmax, rows rebound in a loop, (H, 3 D) labelled (H, N D).
Set "s15" (56 wrong, 13 correct), written beside the s14 fixes (an extra seed window, iterators
used up, np.add's out, leaky and dropout updates, a squeeze, f() unpacked, the GRU mix and b's
blocks, np.split's points, hstacked blocks, c left out, a floor under the softmax, rows rebound,
a mean taken off in the norm), was measured once after them: by reading, 2 accepted, 22 named,
20 located, 1 misleading, 11 generic: 42 of 56 (75 %), 13 of 13 correct accepted. Accepted: an
object array of lists (make_windows), Y reshaped to one column (train_rnn: every case has
O = 1). Misleading: parameters in another order (temperature, y_hat). Generic: mostly numpy's
own exception texts (math.exp on arrays, einsum subscripts on 1-D biases, np.split along the
columns) and shapes without a cause (L circular windows, the records summed away in an
einsum, dU returned for dW, a buffer sized with O).
Set "s16" (52 wrong, 13 correct), written beside the s15 fixes (object arrays, math.* on arrays,
a result returned twice, parameters in another order, np.split along the columns, a buffer
sized with the wrong symbol, wrapped windows, records summed away, a joint share split at H,
einsum on 1-D biases, sign steps, a subset of the records, Y made one column with a case of
O = 2), was measured once after every other change of the session: by reading, 0 accepted, 22
named, 20 located, 3 misleading, 7 generic: 42 of 52 (81 %), 13 of 13 correct accepted.
Misleading: None returned on one path read as NOT YET, a tuple index into x.flat given the
zeros-from-one-size hint, a cumulative sum blamed on the normalisation. Generic: the joint
weights in the other order and np.inner then reshape (forward_step, no located line),
tensordot's default axes, per-record shares not summed, the builtin max on arrays, 1 - z
written over z, db_n summed over the units. Over the session's five held-out sets: 214 of 276
wrong answers (78 %) told what to fix when measured; 8 accepted, 17 misleading; 66 of 66
correct answers accepted.

Session 11. Set "s17" (151 wrong, 34 correct: 7 to 16 wrong per exercise) was written by two
helpers who read no checker code, test or message and ran no checker (only the notebooks'
statements and rnnlib's non-exercise modules), each version checked by them against their own
correct implementations on several shapes (D = 1, O = 1, N = 1, k = 1, k = T, a second call).
It was measured once, before any change: as sorted automatically, 2 accepted, 118 named, 16
located, 13 misleading, 2 generic; by reading the 13 "misleading" ones (9 name the slip in other
words, 3 locate it), **2 accepted, 127 named, 19 located, 1 misleading, 2 generic: 146 of 151
(97 %) told the learner what to fix**, 34 of 34 correct answers accepted. Accepted: x restored
by arithmetic (x[i] += eps, -= 2 eps, += eps), which the checker accepts by design (it drifts by
an ulp at most, and three correct answers of older sets do it), and scores clipped at +-500
before exp (no case had two scores of a row above 500 T). Misleading: log-probabilities
returned, blamed on the normalisation. Generic: T + 2 states (a loop of T + 1 steps whose first
reads X[:, -1]) and X and Y shuffled with separate permutations. Then: a case at T = 0.01 with
several large scores per row and a ceiling rule confirmed on the values (the ceiling read from
a tied row, p = softmax(minimum(y_hat / T, c)) everywhere), the log-softmax named, T + 2 states
named by what the values show, a probe with the same target for every record (right there:
the pairing of records and targets), gradients summed over the epochs and learning rate and
threshold swapped named; also the float64 rule's reason (it spoke of notebook 03 in every
exercise), a share returned unsummed (db_t = delta_t), an extra axis of length 1, and the
temperature divided out of the probabilities ("no effect", not "missing"). The table printed now
(1 accepted, 133 named, 17 located) is no longer held out.

Each wrong answer carries the fragments that a
message naming its real slip contains. Every verdict is sorted into:

    accepted     the checker said PASS to a wrong answer
    named        the message names the slip (contains one of the fragments; for a message
                 with a located line, in the text before that line)
    located      the message names no slip, but its "Where it goes wrong:" line names the part
                 that holds it (one of the answer's "@" fragments, written with the bank before
                 it was run: the output, step, window, entry, update, gate or term) with the
                 line or equation that makes that part. A line that only repeats "wrong
                 values", or lists several places, is not located (sets without "@"
                 fragments, the older ones, are sorted by reading: REVIEWED)
    generic      the message says only what it observed ("right shape but wrong values",
                 "close but not equal", a shape or an exception without a cause)
    misleading   the message names a slip that is not the one made, or a located line that
                 names another part

Prints the table per exercise, then every message that is not "named" (or all with -v), so
that a reader can judge them. Asserts nothing.
Run: python benchmarks/bench_checkers.py [-v]
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from rnnlib import exercises as ex

my = ex.Workbook(5, path=Path(tempfile.mkdtemp()) / "my_rnn.py")  # rnnlib's pieces, as `my`

WRONG: list[tuple[str, str, str, object, tuple[str, ...]]] = []
RIGHT: list[tuple[str, str, str, object]] = []
SET = "first"  # the set that the definitions below belong to


def wrong(piece: str, *names: str):
    def register(fn):
        WRONG.append((SET, piece, fn.__name__, fn, names))
        return fn
    return register


def right(piece: str):
    def register(fn):
        RIGHT.append((SET, piece, fn.__name__, fn))
        return fn
    return register


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --- 01 make_windows -----------------------------------------------------------------------------


@wrong("make_windows", "last value of each window")
def targets_inside(series, T):
    X = np.array([series[i:i + T] for i in range(len(series) - T)])
    Y = np.array([series[i + T - 1] for i in range(len(series) - T)])
    return X, Y


@wrong("make_windows", "flattened")
def flattened(series, T):
    X = np.array([series[i:i + T].flatten() for i in range(len(series) - T)])
    return X, series[T:]


@wrong("make_windows", "do not overlap")
def non_overlapping(series, T):
    starts = range(0, len(series) - T, T)
    return np.stack([series[i:i + T] for i in starts]), np.stack([series[i + T] for i in starts])


@wrong("make_windows", "channel axis D is missing")
def squeezed_series(series, T):
    s = np.squeeze(series)
    return np.stack([s[i:i + T] for i in range(len(s) - T)]), series[T:]


@wrong("make_windows", "only the first channel")
def first_channel_target(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X, series[T:, 0]


@wrong("make_windows", "sliding_window_view puts the window's steps last")
def raw_sliding_view(series, T):
    return np.lib.stride_tricks.sliding_window_view(series, T, axis=0), series[T:]


@wrong("make_windows", "reverse order")
def newest_first(series, T):
    X, Y = [], []
    for i in range(len(series) - T - 1, -1, -1):
        X.append(series[i:i + T])
        Y.append(series[i + T])
    return np.array(X), np.array(Y)


@wrong("make_windows", "one window too few", "one step late")
def late_targets_and_short(series, T):
    n = len(series) - T - 1
    return np.stack([series[i:i + T] for i in range(n)]), series[T + 1:]


@wrong("make_windows", "check the range of your loop")
def starts_at_one(series, T):
    X = np.stack([series[i:i + T] for i in range(1, len(series) - T + 1)])
    Y = np.stack([series[i + T] for i in range(1, len(series) - T + 1)])
    return X, Y


@right("make_windows")
def windows_by_index_arrays(series, T):
    idx = np.arange(len(series) - T)[:, None] + np.arange(T)[None, :]
    return series[idx], series[T:]


@right("make_windows")
def windows_preallocated(series, T):
    N, D = len(series) - T, series.shape[1]
    X, Y = np.empty((N, T, D)), np.empty((N, D))
    for i in range(N):
        X[i], Y[i] = series[i:i + T], series[i + T]
    return X, Y


# --- 02 forward_step -----------------------------------------------------------------------------


@wrong("forward_step", "(4, 3) = (H, N) and (4,) = (H,)", "with records as rows")
def columns_as_records(x_t, h_prev, U, W, b):
    return np.tanh(U @ x_t.T + W @ h_prev.T + b)


@wrong("forward_step", "added after the tanh")
def bias_outside(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T) + b


@wrong("forward_step", "(H, 1)")
def bias_as_column(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b.reshape(-1, 1))


@wrong("forward_step", "cannot be added or multiplied elementwise")
def elementwise_product(x_t, h_prev, U, W, b):
    return np.tanh(x_t * U.T + h_prev @ W.T + b)


@wrong("forward_step", "this is ReLU")
def relu_step(x_t, h_prev, U, W, b):
    return np.maximum(0.0, x_t @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "W is not transposed")
def dot_without_transpose(x_t, h_prev, U, W, b):
    return np.tanh(x_t.dot(U.T) + h_prev.dot(W) + b)


@wrong("forward_step", "float32")
def single_precision(x_t, h_prev, U, W, b):
    a = np.asarray(x_t @ U.T + h_prev @ W.T + b, dtype=np.float32)
    return np.tanh(a)


@wrong("forward_step", "axis of size 1 was dropped")
def squeezed_output(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b).squeeze()


@right("forward_step")
def step_by_matvec(x_t, h_prev, U, W, b):
    return np.stack([np.tanh(U @ x + W @ h + b) for x, h in zip(x_t, h_prev, strict=True)])


@right("forward_step")
def step_by_tensordot(x_t, h_prev, U, W, b):
    return np.tanh(np.tensordot(x_t, U, axes=(1, 1)) + np.tensordot(h_prev, W, axes=(1, 1)) + b)


# --- 02 rnn_forward ------------------------------------------------------------------------------


@wrong("rnn_forward", "states[0] holds values other than zero")
def writes_one_slot_early(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for t in range(T):
        states[t] = my.forward_step(X[:, t], states[t - 1], U, W, b)
    return states[T] @ V.T + c, states


@wrong("rnn_forward", "a prediction for every step")
def predicts_every_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), []
    states.append(h)
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    states = np.stack(states)
    return states @ V.T + c, states


@wrong("rnn_forward", "check the range of your loop")
def one_based_loop(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(1, T + 1):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "holds arrays of shapes (4,) = (H,) and (3, 4) = (N, H)")
def one_dimensional_h0(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros(W.shape[0])
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "the last state of the record before it")
def record_by_record(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    h = np.zeros((1, W.shape[0]))
    for n in range(N):
        for t in range(T):
            h = my.forward_step(X[n:n + 1, t], h, U, W, b)
            states[t + 1, n] = h[0]
    return states[T] @ V.T + c, states


@wrong("rnn_forward", "tanh is applied to the prediction")
def squashed_prediction(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return np.tanh(h @ V.T + c), np.stack(states)


@wrong("rnn_forward", "in your line `h = my.forward_step(h, X[:, t], U, W, b)`")
def step_arguments_swapped(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(h, X[:, t], U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "read backwards in time")
def reads_time_backwards(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, T - 1 - t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def forward_preallocated(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for t in range(1, T + 1):
        states[t] = np.tanh(np.einsum("nd,hd->nh", X[:, t - 1], U) + states[t - 1] @ W.T + b)
    return np.einsum("nh,oh->no", states[T], V) + c, states


@right("rnn_forward")
def forward_per_record(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for n in range(N):
        h = np.zeros(W.shape[0])
        for t in range(T):
            h = np.tanh(U @ X[n, t] + W @ h + b)
            states[t + 1, n] = h
    return states[T] @ V.T + c, states


# --- 03 mse_loss ---------------------------------------------------------------------------------


@wrong("mse_loss", "np.mean over all elements without the 1/2")
def mean_of_squares(Y_hat, Y):
    return np.mean((Y_hat - Y) ** 2), 2 * (Y_hat - Y) / Y.size


@wrong("mse_loss", "one value per record")
def per_record_loss(Y_hat, Y):
    return np.sum((Y_hat - Y) ** 2, axis=1) / 2, (Y_hat - Y) / len(Y)


@wrong("mse_loss", "the sign is wrong")
def target_minus_prediction(Y_hat, Y):
    diff = Y - Y_hat
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y)


@wrong("mse_loss", "dY_hat is wrong: the 1/N is missing")
def gradient_without_mean(Y_hat, Y):
    return 0.5 * np.sum((Y_hat - Y) ** 2) / len(Y), Y_hat - Y


@wrong("mse_loss", "it is a square root (an RMSE)")
def root_mean_square(Y_hat, Y):
    return np.sqrt(np.sum((Y_hat - Y) ** 2) / (2 * len(Y))), (Y_hat - Y) / len(Y)


@wrong("mse_loss", "the order is swapped")
def gradient_first(Y_hat, Y):
    diff = Y_hat - Y
    return diff / len(Y), np.sum(diff**2) / (2 * len(Y))


@wrong("mse_loss", "flattened or reshaped")
def flattened_gradient(Y_hat, Y):
    diff = Y_hat.ravel() - Y.ravel()
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y)


@wrong("mse_loss", "float32")
def float32_loss(Y_hat, Y):
    diff = Y_hat - Y
    return np.float32(np.sum(diff**2) / (2 * len(Y))), diff / len(Y)


@right("mse_loss")
def loss_by_einsum(Y_hat, Y):
    d = Y_hat - Y
    return np.einsum("no,no->", d, d) / (2 * d.shape[0]), d / d.shape[0]


@right("mse_loss")
def loss_by_loops(Y_hat, Y):
    N, O = Y.shape
    total, grad = 0.0, np.zeros((N, O))
    for n in range(N):
        for o in range(O):
            total += (Y_hat[n, o] - Y[n, o]) ** 2
            grad[n, o] = (Y_hat[n, o] - Y[n, o]) / N
    return total / (2 * N), grad


# --- 03 backward_step ----------------------------------------------------------------------------


def _shares(delta, x_t, h_prev, W):
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "the derivative is taken at h_prev")
def derivative_at_previous_state(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (1 - h_prev**2), x_t, h_prev, W)


@wrong("backward_step", "dh_prev is wrong: W is transposed the wrong way")
def back_through_w_transposed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W.T, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "dU_t has shape (2, 4) = (D, H)", "that is its transpose")
def input_share_transposed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, x_t.T @ delta, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "you summed over the units (axis 1)")
def bias_share_over_units(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, np.sum(delta, axis=1)


@wrong("backward_step", "dU_t is wrong: divided by N")
def shares_averaged(dh_t, h_t, h_prev, x_t, W):
    N = dh_t.shape[0]
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t / N, delta.T @ h_prev / N, delta.sum(axis=0) / N


@wrong("backward_step", "dW_t is wrong: it uses h_t")
def recurrent_share_with_new_state(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_t, delta.sum(axis=0)


@wrong("backward_step", "sum it over the records (axis 0)")
def bias_share_not_summed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta


@wrong("backward_step", "return exactly 5")
def four_values(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev


@right("backward_step")
def step_by_einsum(dh_t, h_t, h_prev, x_t, W):
    delta = np.einsum("nh,nh->nh", dh_t, 1 - h_t * h_t)
    return (delta, np.einsum("nh,hk->nk", delta, W), np.einsum("nh,nd->hd", delta, x_t),
            np.einsum("nh,nk->hk", delta, h_prev), np.einsum("nh->h", delta))


@right("backward_step")
def step_by_records(dh_t, h_t, h_prev, x_t, W):
    H, D = W.shape[0], x_t.shape[1]
    delta = dh_t * (1 - h_t) * (1 + h_t)
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    for n in range(dh_t.shape[0]):
        dU += np.outer(delta[n], x_t[n])
        dW += np.outer(delta[n], h_prev[n])
        db += delta[n]
    return delta, np.stack([W.T @ d for d in delta]), dU, dW, db


# --- 03 bptt -------------------------------------------------------------------------------------


def _bptt(dY_hat, X, states, W, V, steps, update=True, at=0, divide=1.0, x_at=-1):
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in steps:
        delta = g * (1 - states[t + at] ** 2)
        dU += delta.T @ X[:, t + x_at] / divide
        dW += delta.T @ states[t - 1] / divide
        db += delta.sum(axis=0) / divide
        if update:
            g = delta @ W
    return dU, dW, dY_hat.T @ states[-1], db, dY_hat.sum(axis=0)


@wrong("bptt", "those of k + 1")
def window_one_too_long(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, reversed(range(T - k, T + 1)))


@wrong("bptt", "the error never reaches the earlier steps")
def error_not_carried(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T, T - k, -1), update=False)


@wrong("bptt", "dV", "h_(T-1)")
def readout_from_previous_state(dY_hat, X, states, W, V, k):
    dU, dW, _, db, dc = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dY_hat.T @ states[-2], db, dc


@wrong("bptt", "check the range of your loop and the axis you index", "X[:, t - 1]")
def input_index_not_shifted(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T, T - k, -1), x_at=0)


@wrong("bptt", "tanh' is taken at the previous state")
def derivative_at_h_prev(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T, T - k, -1), at=-1)


@wrong("bptt", "the shares are divided by N")
def shares_divided_by_n(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T, T - k, -1), divide=X.shape[0])


@wrong("bptt", "an axis of size 1 was dropped", "keepdims")
def output_bias_fully_summed(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, _ = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV, db, dY_hat.sum()


@wrong("bptt", "(4, 4) = (H, H) and (4, 2) = (H, D)")
def input_gradient_square(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = np.zeros_like(W), np.zeros_like(W), np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "the error entering h_T is dY_hat @ V", "dY_hat @ V.T")
def error_through_v_transposed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = dY_hat @ V.T
    dU, dW, db = 0, 0, 0
    for t in range(T, T - k, -1):
        _, g, a, bb, cc = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU, dW, db = dU + a, dW + bb, db + cc
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def bptt_with_list_of_shares(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g, shares = dY_hat @ V, []
    for t in range(T, T - k, -1):
        delta, g, *step = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        shares.append(step)
    dU, dW, db = (sum(s[i] for s in shares) for i in range(3))
    return dU, dW, np.einsum("no,nh->oh", dY_hat, states[T]), db, np.einsum("no->o", dY_hat)


@right("bptt")
def bptt_stacked(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    deltas, g = {}, dY_hat @ V
    for t in range(T, T - k, -1):
        deltas[t] = g * (1 - states[t] ** 2)
        g = deltas[t] @ W
    ts = sorted(deltas)
    D = np.stack([deltas[t] for t in ts])  # (k, N, H)
    dU = np.einsum("knh,knd->hd", D, X[:, [t - 1 for t in ts]].transpose(1, 0, 2))
    dW = np.einsum("knh,kng->hg", D, states[[t - 1 for t in ts]])
    return dU, dW, dY_hat.T @ states[T], D.sum(axis=(0, 1)), dY_hat.sum(axis=0)


# --- 03 numerical_gradient -----------------------------------------------------------------------


@wrong("numerical_gradient", "a forward difference")
def one_sided(f, x, eps=1e-6):
    g = np.zeros_like(x)
    base = f()
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        g[i] = (f() - base) / eps
        x[i] = old
    return g


@wrong("numerical_gradient", "x is left changed")
def never_restores(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f()
        x[i] -= 2 * eps
        g[i] = (up - f()) / (2 * eps)
    return g


@wrong("numerical_gradient", "zero everywhere")
def perturbs_a_flat_copy(f, x, eps=1e-6):
    g = np.zeros(x.size)
    for i in range(x.size):
        x.flatten()[i] += eps
        up = f()
        x.flatten()[i] -= 2 * eps
        g[i] = (up - f()) / (2 * eps)
    return g.reshape(x.shape)


@wrong("numerical_gradient", "eps = 1e-03")
def large_default_eps(f, x, eps=1e-3):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "twice the gradient")
def divides_by_eps(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / eps
    return g


@wrong("numerical_gradient", "every element was perturbed at once")
def perturbs_everything(f, x, eps=1e-6):
    x += eps
    up = f()
    x -= 2 * eps
    down = f()
    x += eps
    return np.full(x.shape, (up - down) / (2 * eps))


@wrong("numerical_gradient", "reshape it to x's shape")
def returns_a_flat_list(f, x, eps=1e-6):
    out = []
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        out.append((up - down) / (2 * eps))
    return np.array(out)


@wrong("numerical_gradient", "x[i] on a 2-D array is a whole row")
def perturbs_rows(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def gradient_over_flat_view(f, x, eps=1e-6):
    g = np.empty_like(x)
    flat, gflat = x.reshape(-1), g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        gflat[i] = (up - f()) / (2 * eps)
        flat[i] = old
    return g


@right("numerical_gradient")
def gradient_with_itertools(f, x, eps=1e-6):
    import itertools

    g = np.zeros_like(x)
    for i in itertools.product(*(range(s) for s in x.shape)):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = 0.5 * (up - down) / eps
    return g


# --- 04 clip_gradients ---------------------------------------------------------------------------


@wrong("clip_gradients", "clipped by its own norm")
def clip_each(grads, threshold):
    out = []
    for g in grads:
        n = np.linalg.norm(g)
        out.append(g * threshold / n if n > threshold else g.copy())
    return out


@wrong("clip_gradients", "arrays of different shapes", "each array on its own")
def norm_of_the_list(grads, threshold):
    n = np.linalg.norm(grads)
    return [g * threshold / n if n > threshold else g for g in grads]


@wrong("clip_gradients", "the sum of the arrays' norms")
def sum_of_norms(grads, threshold):
    n = sum(np.linalg.norm(g) for g in grads)
    return [g * (threshold / n) if n > threshold else g for g in grads]


@wrong("clip_gradients", "return a list of 5 arrays")
def returns_the_factor(grads, threshold):
    n = np.sqrt(sum((g**2).sum() for g in grads))
    return min(1.0, threshold / n)


@wrong("clip_gradients", "changed its input grads in place")
def scales_in_place(grads, threshold):
    n = np.sqrt(sum((g**2).sum() for g in grads))
    if n > threshold:
        for g in grads:
            g *= threshold / n
    return grads


@wrong("clip_gradients", "upside down")
def factor_inverted(grads, threshold):
    n = np.sqrt(sum((g**2).sum() for g in grads))
    return [g * (n / threshold) if n > threshold else g for g in grads]


@wrong("clip_gradients", "left unchanged although their global norm exceeds")
def condition_inverted(grads, threshold):
    n = np.sqrt(sum((g**2).sum() for g in grads))
    return [g * (threshold / n) if n < threshold else g for g in grads]


@right("clip_gradients")
def clip_by_concatenation(grads, threshold):
    n = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    scale = min(1.0, threshold / n) if n > 0 else 1.0
    return [g * scale for g in grads]


@right("clip_gradients")
def clip_with_hypot(grads, threshold):
    n = 0.0
    for g in grads:
        n = float(np.hypot(n, np.linalg.norm(g)))
    return [g / (n / threshold) if n > threshold else np.array(g) for g in grads]


# --- 05 train_rnn --------------------------------------------------------------------------------


def _epoch(U, W, V, b, c, X, Y, k):
    Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
    _, dY = my.mse_loss(Y_hat, Y)
    return list(my.bptt(dY, X, states, W, V, k))


@wrong("train_rnn", "each gradient was clipped by its own norm")
def clips_each_gradient(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = [my.clip_gradients([g], threshold)[0] for g in _epoch(U, W, V, b, c, X, Y, k)]
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "computed once, before the loop")
def gradients_before_the_loop(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
    for _ in range(epochs):
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "the truncation depth k is not passed on")
def full_bptt_always(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, X.shape[1]), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "changed its input params in place")
def updates_in_place(params, X, Y, learning_rate, epochs, threshold, k):
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*params, X, Y, k), threshold)
        for p, g in zip(params, grads, strict=True):
            p -= learning_rate * g
    return params


@wrong("train_rnn", "one epoch too many")
def inclusive_range(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs + 1):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "the learning rate is divided by N")
def rate_divided_by_n(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    lr = learning_rate / X.shape[0]
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - lr * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "clipping is missing")
def no_clipping(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "update each parameter with its own gradient")
def gradients_in_another_order(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dU, dV, dW, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@right("train_rnn")
def train_with_a_dict(params, X, Y, learning_rate, epochs, threshold, k):
    p = dict(zip("UWVbc", params, strict=True))
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*p.values(), X, Y, k), threshold)
        p = {name: value - learning_rate * g for (name, value), g in zip(p.items(), grads,
                                                                            strict=True)}
    return list(p.values())


@right("train_rnn")
def train_with_its_own_clipping(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (np.array(p) for p in params)
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        n = np.sqrt(sum(np.vdot(g, g) for g in grads))
        grads = [g * min(1.0, threshold / n) for g in grads]
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


# --- 08 gru_step ---------------------------------------------------------------------------------


def _gates(x_t, h_prev, U, W, b):
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    s = h_prev @ W.T
    return H, a, s


@wrong("gru_step", "Cho et al.")
def reset_before_product(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + (r * h_prev) @ W[2 * H:].T + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "z and 1 - z are swapped")
def keeps_the_wrong_part(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return z * n + (1 - z) * h_prev


@wrong("gru_step", "the recurrent bias b_n is missing")
def forgets_b_n(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    return (1 - z) * np.tanh(a[:, 2 * H:] + r * s[:, 2 * H:]) + z * h_prev


@wrong("gru_step", "the gates use tanh")
def tanh_gates(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = np.tanh(a[:, :H] + s[:, :H])
    z = np.tanh(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "U_r x_t for every record is x_t @ U[:H].T")
def slices_columns(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:, :H] + h_prev @ W[:, :H] + b[:H])
    z = sigmoid(x_t @ U[:, H:2 * H] + h_prev @ W[:, H:2 * H] + b[H:2 * H])
    n = np.tanh(x_t @ U[:, 2 * H:] + b[2 * H:] + r * (h_prev @ W[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "the gates are taken in the wrong order")
def z_before_r(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    z = sigmoid(a[:, :H] + s[:, :H])
    r = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "the square blocks of W are not transposed")
def blocks_not_transposed(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    Wr, Wz, Wn = W[:H], W[H:2 * H], W[2 * H:]
    a = x_t @ U.T + b
    r = sigmoid(a[:, :H] + h_prev @ Wr)
    z = sigmoid(a[:, H:2 * H] + h_prev @ Wz)
    n = np.tanh(a[:, 2 * H:] + r * (h_prev @ Wn + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_n is added outside the reset gate")
def b_n_outside(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * s[:, 2 * H:] + b_n)
    return (1 - z) * n + z * h_prev


@right("gru_step")
def gru_by_named_blocks(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    (Ur, Uz, Un), (Wr, Wz, Wn), (br, bz, bn) = (np.split(a, 3) for a in (U, W, b))
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    n = np.tanh(x_t @ Un.T + bn + r * (h_prev @ Wn.T + b_n))
    assert n.shape[1] == H
    return n + z * (h_prev - n)


@right("gru_step")
def gru_per_record(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    out = []
    for x, h in zip(x_t, h_prev, strict=True):
        a, s = U @ x + b, W @ h
        r = 0.5 * (1 + np.tanh(0.5 * (a[:H] + s[:H])))
        z = 0.5 * (1 + np.tanh(0.5 * (a[H:2 * H] + s[H:2 * H])))
        n = np.tanh(a[2 * H:] + r * (s[2 * H:] + b_n))
        out.append((1 - z) * n + z * h)
    return np.array(out)


# === the second set: written after the first set's slips were named; its verdicts then named
# more (a first run gave 0 accepted, 25 named, 0 misleading, 41 generic of 66) ==============

SET = "second"


@wrong("make_windows", "flattened or reshaped")
def targets_flattened(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X, series[T:].reshape(-1)


@wrong("make_windows", "T - 1", "one step short", "window")
def windows_one_short(series, T):
    return np.stack([series[i:i + T - 1] for i in range(len(series) - T)]), series[T:]


@wrong("make_windows", "one window too many")
def inclusive_windows(series, T):
    n = len(series) - T + 1
    return np.stack([series[i:i + T] for i in range(n)]), series[T - 1:]


@wrong("make_windows", "starts one step late")
def windows_shifted(series, T):
    X = np.stack([series[i + 1:i + 1 + T] for i in range(len(series) - T)])
    return X, series[T:]


@wrong("make_windows", "each window runs backwards in time")
def each_window_reversed(series, T):
    return np.stack([series[i:i + T][::-1] for i in range(len(series) - T)]), series[T:]


@wrong("make_windows", "(N, 1, D)", "extra axis")
def targets_with_an_extra_axis(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X, series[T:][:, None]


@wrong("make_windows", "integer", "int")
def integer_buffer(series, T):
    N, D = len(series) - T, series.shape[1]
    X = np.zeros((N, T, D), dtype=int)
    for i in range(N):
        X[i] = series[i:i + T]
    return X, series[T:]


@wrong("forward_step", "there are two tanh")
def two_tanhs(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + b) + np.tanh(h_prev @ W.T)


@wrong("forward_step", "with records as rows, U x_t for every record is x_t @ U.T")
def matrices_swapped(x_t, h_prev, U, W, b):
    return np.tanh(h_prev @ U.T + x_t @ W.T + b)


@wrong("forward_step", "(3, 4) = (N, H) and (4, 3) = (H, N)")
def half_transposed(x_t, h_prev, U, W, b):
    return np.tanh(np.dot(U, x_t.T).T + np.dot(W, h_prev.T) + b)


@wrong("forward_step", "first record", "one record")
def first_record_only(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b)[0]


@wrong("forward_step", "round")
def rounded_state(x_t, h_prev, U, W, b):
    return np.round(np.tanh(x_t @ U.T + h_prev @ W.T + b), 4)


@wrong("forward_step", "tanh is applied to only part", "as a whole")
def tanh_on_the_state_part(x_t, h_prev, U, W, b):
    return x_t @ U.T + np.tanh(h_prev @ W.T + b)


@wrong("rnn_forward", "the order is swapped", "return Y_hat, states")
def returns_states_first(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return np.stack(states), h @ V.T + c


@wrong("rnn_forward", "appended before", "before the update", "states[1]")
def appends_before_stepping(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), []
    for t in range(T):
        states.append(h)
        h = my.forward_step(X[:, t], h, U, W, b)
    states.append(h)
    states[1:] = states[:-1]
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[0]")
def fills_from_slot_zero(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    h = np.zeros((N, W.shape[0]))
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states[t] = h
    return h @ V.T + c, states


@wrong("rnn_forward", "the input at step t is X[:, t]")
def record_instead_of_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "mean", "average", "last state")
def prediction_from_the_mean_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    states = np.stack(states)
    return states[1:].mean(axis=0) @ V.T + c, states


@wrong("rnn_forward", "tanh", "twice")
def tanh_twice(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = np.tanh(my.forward_step(X[:, t], h, U, W, b))
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("mse_loss", "absolute", "MAE", "np.abs")
def absolute_error(Y_hat, Y):
    return np.sum(np.abs(Y_hat - Y)) / len(Y), np.sign(Y_hat - Y) / len(Y)


@wrong("mse_loss", "you divided by N * O")
def gradient_over_all_elements(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / Y.size


@wrong("mse_loss", "Y_hat**2 - Y**2", "the square of the difference")
def difference_of_squares(Y_hat, Y):
    return np.sum(Y_hat**2 - Y**2) / (2 * len(Y)), (Y_hat - Y) / len(Y)


@wrong("mse_loss", "halved")
def gradient_halved(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / (2 * len(Y))


@wrong("mse_loss", "mean over the records", "one value per output", "(O,)")
def gradient_averaged_over_records(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff.mean(axis=0)


@wrong("mse_loss", "(O, O)", "diff.T @ diff", "matrix product")
def loss_as_a_matrix_product(Y_hat, Y):
    diff = Y_hat - Y
    return diff.T @ diff / (2 * len(Y)), diff / len(Y)


@wrong("backward_step", "divid", "multiply by")
def divides_by_the_derivative(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t / (1 - h_t**2), x_t, h_prev, W)


@wrong("backward_step", "dh_prev has shape (4, 3) = (H, N)", "transpose")
def error_as_columns(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, W.T @ delta.T, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "dU_t", "x_t")
def input_share_with_the_state(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ h_prev, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "keepdims", "(1, H)", "axis of size 1")
def bias_share_kept_2d(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0, keepdims=True)


@wrong("backward_step", "the derivative factor is missing")
def returns_the_incoming_error(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return dh_t, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "changed its input dh_t in place")
def multiplies_in_place(dh_t, h_t, h_prev, x_t, W):
    dh_t *= 1 - h_t**2
    return dh_t, dh_t @ W, dh_t.T @ x_t, dh_t.T @ h_prev, dh_t.sum(axis=0)


@wrong("backward_step", "outer", "sum over the records", "delta_t.T @ x_t")
def outer_of_sums(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return (delta, delta @ W, np.outer(delta.sum(0), x_t.sum(0)),
            np.outer(delta.sum(0), h_prev.sum(0)), delta.sum(axis=0))


@wrong("bptt", "dV", "divided by N", "SUM")
def readout_gradient_averaged(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV / X.shape[0], db, dc


@wrong("bptt", "twice", "derivative")
def derivative_twice_at_the_top(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = (dY_hat @ V) * (1 - states[T] ** 2)
    dU, dW, db = 0, 0, 0
    for t in range(T, T - k, -1):
        _, g, a, bb, cc = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU, dW, db = dU + a, dW + bb, db + cc
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "check the range of your loop and the axis you index")
def states_one_ahead(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        _, g, a, bb, cc = my.backward_step(g, states[t + 1], states[t], X[:, t - 1], W)
        dU, dW, db = dU + a, dW + bb, db + cc
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dc", "sum over the records", "axis 0")
def output_bias_summed_over_outputs(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, _ = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV, db, dY_hat.sum(axis=1)


@wrong("bptt", "dW", "h_prev", "states[t - 1]")
def recurrent_share_with_h_t(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "h_t", "h_prev", "order")
def step_states_swapped(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        _, g, a, bb, cc = my.backward_step(g, states[t - 1], states[t], X[:, t - 1], W)
        dU, dW, db = dU + a, dW + bb, db + cc
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "a forward difference")
def forward_difference_restored(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f()
        x[i] -= eps
        g[i] = (up - f()) / eps
    return g


@wrong("numerical_gradient", "ignores its argument eps", "eps")
def divides_by_a_fixed_step(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / 2e-6
    return g


@wrong("numerical_gradient", "f reads x itself", "f()")
def passes_x_to_f(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "float32")
def float32_buffer(f, x, eps=1e-6):
    g = np.zeros(x.shape, dtype=np.float32)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "zero everywhere")
def iterates_over_values(f, x, eps=1e-6):
    g = []
    for v in np.nditer(x.copy(), op_flags=["readwrite"]):
        v[...] = v + eps
        up = f()
        v[...] = v - 2 * eps
        g.append((up - f()) / (2 * eps))
        v[...] = v + eps
    return np.array(g).reshape(x.shape)


@wrong("numerical_gradient", "(f(x + eps) - f(x)) / (2 eps)")
def restores_too_early(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        x[i] = old
        g[i] = (up - f()) / (2 * eps)
    return g


@wrong("numerical_gradient", "brackets", "/ (2 * eps)", "precedence")
def divides_then_multiplies(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / 2 * eps
    return g


@wrong("clip_gradients", "np.concatenate", "each array on its own", "ravel")
def concatenates_unflattened(grads, threshold):
    n = np.linalg.norm(np.concatenate(grads))
    return [g * min(1.0, threshold / n) for g in grads]


@wrong("clip_gradients", "largest", "max", "norm")
def clips_by_the_largest_entry(grads, threshold):
    n = max(np.abs(g).max() for g in grads)
    return [g * (threshold / n) if n > threshold else g for g in grads]


@wrong("clip_gradients", "scaled although their global norm is below the threshold")
def always_rescales(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * threshold / n for g in grads]


@wrong("clip_gradients", "1e-6", "small term", "epsilon")
def guards_the_division(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * min(1.0, threshold / (n + 1e-6)) for g in grads]


@wrong("clip_gradients", "threshold", "split", "per array")
def shares_the_threshold(grads, threshold):
    part = threshold / len(grads)
    return [g * min(1.0, part / np.linalg.norm(g)) for g in grads]


@wrong("clip_gradients", "L1", "ord=1", "sum of the absolute")
def l1_norm(grads, threshold):
    n = sum(np.abs(g).sum() for g in grads)
    return [g * (threshold / n) if n > threshold else g for g in grads]


@wrong("clip_gradients", "return a list of 5 arrays")
def returns_an_object_array(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return np.array([g * min(1.0, threshold / n) for g in grads], dtype=object)


@wrong("train_rnn", "k", "missing 1 required positional argument")
def forgets_k(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "the parameters did not change")
def updates_a_loop_variable(params, X, Y, learning_rate, epochs, threshold, k):
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*params, X, Y, k), threshold)
        for p, g in zip(params, grads, strict=True):
            p = p - learning_rate * g  # noqa: PLW2901
    return [p.copy() for p in params]


@wrong("train_rnn", "threshold", "learning_rate")
def clips_at_the_learning_rate(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), learning_rate)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "dY_hat", "the loss")
def passes_the_loss_to_bptt(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        L, _ = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(L, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "momentum", "plain")
def with_momentum(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    velocity = [np.zeros_like(p) for p in params]
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        velocity = [0.9 * v + g for v, g in zip(velocity, grads, strict=True)]
        U, W, V, b, c = (p - learning_rate * v for p, v in zip((U, W, V, b, c), velocity,
                                                               strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "decay", "learning rate")
def decaying_rate(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
        learning_rate *= 0.9
    return [U, W, V, b, c]


@wrong("train_rnn", "W did not change at all")
def forgets_to_update_w(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dU, dW, dV, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, V = U - learning_rate * dU, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong("gru_step", "z and 1 - z are swapped")
def mixes_the_other_way(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    return (1 - z) * h_prev + z * np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))


@wrong("gru_step", "reset gate is missing", "r")
def no_reset_gate(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + s[:, 2 * H:] + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "the biases b are missing")
def gates_without_b(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a, s = x_t @ U.T, h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "W[H:2*H]", "block", "z")
def update_gate_with_reset_rows(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, :H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_n", "inside")
def b_n_outside_the_tanh(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * s[:, 2 * H:]) + b_n
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "return one array, h_t")
def returns_the_gate_too(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev, z


@wrong("gru_step", "every gate uses the first block")
def one_block_for_every_gate(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    part = x_t @ U[:H].T + h_prev @ W[:H].T
    r = sigmoid(part + b[:H])
    z = sigmoid(part + b[H:2 * H])
    n = np.tanh(x_t @ U[:H].T + b[2 * H:] + r * (h_prev @ W[:H].T + b_n))
    return (1 - z) * n + z * h_prev


@right("make_windows")
def windows_by_strides(series, T):
    view = np.lib.stride_tricks.sliding_window_view(series, (T, series.shape[1]))[:, 0]
    return view[:-1].copy(), series[T:].copy()


@right("forward_step")
def step_with_exp(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return (1 - np.exp(-2 * a)) / (1 + np.exp(-2 * a))


@right("rnn_forward")
def forward_with_a_list_comprehension_free_loop(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for x_t in np.moveaxis(X, 1, 0):
        states.append(my.forward_step(x_t, states[-1], U, W, b))
    return states[-1] @ V.T + c, np.array(states)


@right("mse_loss")
def loss_with_vdot(Y_hat, Y):
    d = (Y_hat - Y).astype(np.float64)
    return float(np.vdot(d, d)) / (2 * len(d)), d / len(d)


@right("backward_step")
def step_with_matmul_of_transposes(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t - dh_t * h_t**2
    return delta, (W.T @ delta.T).T, (x_t.T @ delta).T, (h_prev.T @ delta).T, delta.T.sum(axis=1)


@right("bptt")
def bptt_with_while(dY_hat, X, states, W, V, k):
    t, T = X.shape[1], X.shape[1]
    g = dY_hat @ V
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])
    while t > T - k:
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g, t = delta @ W, t - 1
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("numerical_gradient")
def gradient_with_a_copy_per_step(f, x, eps=1e-6):
    g = np.zeros_like(x)
    saved = x.copy()
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f()
        x[...] = saved
        x[i] -= eps
        down = f()
        x[...] = saved
        g[i] = (up - down) / (2 * eps)
    return g


@right("clip_gradients")
def clip_with_a_generator(grads, threshold):
    n = sum(float(np.sum(np.square(g))) for g in grads) ** 0.5
    factor = threshold / n if n > threshold else 1.0
    return list(map(lambda g: g * factor, grads))


@right("train_rnn")
def train_with_zip_updates(params, X, Y, learning_rate, epochs, threshold, k):
    params = [np.copy(p) for p in params]
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*params, X, Y, k), threshold)
        params = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
    return params


@right("gru_step")
def gru_with_einsum(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a = np.einsum("nd,kd->nk", x_t, U) + b
    s = np.einsum("nh,kh->nk", h_prev, W)
    r, z = sigmoid(a[:, :H] + s[:, :H]), sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * s[:, 2 * H:] + r * b_n)
    return z * h_prev + (1 - z) * n


# === the held-out set: written after the checkers last changed; the checkers were not changed
# for it ========================================================================================

SET = "held-out"


@wrong("make_windows", "float32")
def windows_in_float32(series, T):
    N = len(series) - T
    return np.array([series[i:i + T] for i in range(N)], dtype=np.float32), series[T:]


@wrong("make_windows", "overlap")
def every_second_window(series, T):
    starts = range(0, len(series) - T, 2)
    return np.stack([series[i:i + T] for i in starts]), np.stack([series[i + T] for i in starts])


@wrong("make_windows", "series[i + T]")
def one_target_for_all(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X, np.repeat(series[T:T + 1], len(X), axis=0)


@wrong("make_windows", "window")
def no_windows_at_all(series, T):
    N = len(series) - T
    return series[:N], series[T:]


@wrong("make_windows", "return 2 separate values")
def returns_a_dict(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return {"X": X, "Y": series[T:]}


@wrong("make_windows", "difference")
def targets_as_differences(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X, series[T:] - series[T - 1:-1]


@wrong("make_windows", "axis")
def always_adds_a_channel_axis(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X[..., None], series[T:]


@wrong("forward_step", "in place")
def writes_into_h_prev(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b, out=h_prev)


@wrong("forward_step", "the bias b")
def subtracts_the_bias(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T - b)


@wrong("forward_step", "sum")
def product_of_parts(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T) * np.tanh(h_prev @ W.T + b)


@wrong("forward_step", "return one array")
def returns_the_pre_activation_too(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return np.tanh(a), a


@wrong("forward_step", "twice")
def tanh_of_tanh(x_t, h_prev, U, W, b):
    return np.tanh(np.tanh(x_t @ U.T + h_prev @ W.T + b))


@wrong("forward_step", "bias")
def first_bias_only(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b[0])


@wrong("rnn_forward", "states[0]")
def starts_from_ones(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.ones((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[T] @ V.T")
def readout_without_transpose(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V + c, np.stack(states)


@wrong("rnn_forward", "W is not transposed")
def passes_w_transposed(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W.T, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "axis of size 1")
def flat_predictions(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return (h @ V.T + c).ravel(), np.stack(states)


@wrong("rnn_forward", "the input at step t is X[:, t]")
def drops_the_input_axis(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t, 0], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[0]")
def empty_buffer(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.empty((T + 1, N, W.shape[0]))
    states[0] = np.nan
    h = np.zeros((N, W.shape[0]))
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states[t + 1] = h
    return h @ V.T + c, states


@wrong("rnn_forward", "bias")
def bias_at_the_first_step_only(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b if t == 0 else np.zeros_like(b))
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("mse_loss", "N * O")
def divides_by_the_size(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * Y.size), diff / len(Y)


@wrong("mse_loss", "1/N")
def divides_by_the_outputs(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y[0])), diff / len(Y)


@wrong("mse_loss", "1/N")
def divides_by_n_squared(Y_hat, Y):
    diff = Y_hat - Y
    return 0.5 * np.sum(diff**2) / len(Y) ** 2, diff / len(Y)


@wrong("mse_loss", "Y")
def against_the_mean_target(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), (Y_hat - Y.mean()) / len(Y)


@wrong("mse_loss", "return exactly 2")
def returns_the_difference_too(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y), diff


@wrong("mse_loss", "1/N")
def gradient_over_n_squared(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y) ** 2


@wrong("backward_step", "1 - h_t**2")
def plus_instead_of_minus(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (1 + h_t**2), x_t, h_prev, W)


@wrong("backward_step", "delta_t @ W")
def derivative_after_the_product(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, (dh_t @ W) * (1 - h_t**2), delta.T @ x_t, delta.T @ h_prev, delta.sum(0)


@wrong("backward_step", "delta_t.T @ h_prev")
def recurrent_share_as_records(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta @ h_prev.T, delta.sum(0)


@wrong("backward_step", "both axes")
def bias_share_fully_summed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum()


@wrong("backward_step", "transpose")
def input_share_by_einsum_transposed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, np.einsum("nh,nd->dh", delta, x_t), delta.T @ h_prev, delta.sum(0)


@wrong("backward_step", "transpose")
def delta_as_columns(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta.T, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(0)


@wrong("backward_step", "transposed the wrong way")
def back_through_w_as_columns(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, (W @ delta.T).T, delta.T @ x_t, delta.T @ h_prev, delta.sum(0)


@wrong("bptt", "X[:, t - 1]")
def input_two_steps_back(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 2], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "+=")
def input_share_overwritten(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "twice")
def derivative_applied_when_passing_back(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = (delta @ W) * (1 - states[t - 1] ** 2)
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "another order")
def biases_swapped(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV, dc, db


@wrong("bptt", "k + 1")
def breaks_one_step_late(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, 0, -1):
        if t < T - k:
            break
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dc")
def output_bias_over_steps(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV, db, dc / X.shape[1]


@wrong("numerical_gradient", "eps")
def relative_perturbation(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old * (1 + eps)
        up = f()
        x[i] = old * (1 - eps)
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "the axis you index")
def one_dimensional_buffer(f, x, eps=1e-6):
    g = np.zeros(x.shape[0])
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "return")
def forgets_to_return(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)


@wrong("numerical_gradient", "zero everywhere")
def perturbs_a_new_array(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        x_plus, x_minus = x + e, x - e  # noqa: F841 (f never sees them)
        g[i] = (f() - f()) / (2 * eps)
    return g


@wrong("numerical_gradient", "eps")
def half_steps(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps / 2
        up = f()
        x[i] = old - eps / 2
        down = f()
        x[i] = old
        g[i] = (up - down) / eps
    return g


@wrong("numerical_gradient", "left changed")
def resets_to_zero(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = 0.0
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "sign")
def minus_first(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (down - up) / (2 * eps)
    return g


@wrong("clip_gradients", "norm")
def square_root_of_the_factor(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * np.sqrt(threshold / n) if n > threshold else g for g in grads]


@wrong("clip_gradients", "square")
def root_of_summed_norms(grads, threshold):
    n = np.sqrt(sum(np.linalg.norm(g) for g in grads))
    return [g * threshold / n if n > threshold else g for g in grads]


@wrong("clip_gradients", "in place")
def multiplies_into_the_inputs(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    out = []
    for g in grads:
        out.append(np.multiply(g, min(1.0, threshold / n), out=g))
    return out


@wrong("clip_gradients", "threshold / norm")
def scales_by_the_threshold(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * threshold if n > threshold else g for g in grads]


@wrong("clip_gradients", "every")
def norm_of_the_first_two(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads[:2]))
    return [g * threshold / n if n > threshold else g for g in grads]


@wrong("clip_gradients", "for 5 gradients")
def returns_the_norm_too(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * min(1.0, threshold / n) for g in grads] + [np.array(n)]


@wrong("train_rnn", "p - learning_rate")
def replaces_by_the_gradient(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (-learning_rate * g for g in grads)
    return [U, W, V, b, c]


@wrong("train_rnn", "clip")
def clips_the_first_epoch_only(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for epoch in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        if epoch == 0:
            grads = my.clip_gradients(grads, threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "did not change")
def returns_the_input_list(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [p.copy() for p in params]


@wrong("train_rnn", "k")
def one_step_deeper(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k + 1), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "return a list")
def returns_an_object_array_of_params(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    out = np.empty(5, dtype=object)
    out[:] = [U, W, V, b, c]
    return out


@wrong("train_rnn", "b")
def bias_goes_uphill(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dU, dW, dV, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b + learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong("train_rnn", "truncation")
def truncates_the_inputs(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X[:, -k:], Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("gru_step", "tanh")
def activations_swapped(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = np.tanh(a[:, :H] + s[:, :H])
    z = np.tanh(a[:, H:2 * H] + s[:, H:2 * H])
    n = sigmoid(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "transposed")
def candidate_block_untransposed(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (h_prev @ W[2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b")
def gate_biases_swapped(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a, s = x_t @ U.T, h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H] + b[H:2 * H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H] + b[:H])
    n = np.tanh(a[:, 2 * H:] + b[2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "z and 1 - z")
def update_gate_complemented(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = 1 - sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_n")
def b_n_beside_the_input_bias(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + b_n + r * s[:, 2 * H:])
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "h_t = (1 - z) * n")
def returns_the_candidate(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    return np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))


@wrong("gru_step", "order")
def z_first_and_mixed_the_other_way(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    z = sigmoid(a[:, :H] + s[:, :H])
    r = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return z * n + (1 - z) * h_prev


@right("make_windows")
def windows_by_take(series, T):
    idx = np.arange(T)[None, :] + np.arange(len(series) - T)[:, None]
    return np.take(series, idx, axis=0), np.take(series, np.arange(T, len(series)), axis=0)


@right("forward_step")
def step_by_one_matrix(x_t, h_prev, U, W, b):
    return np.tanh(np.hstack([x_t, h_prev]) @ np.hstack([U, W]).T + b)


@right("rnn_forward")
def forward_by_stacked_weights(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    big = np.hstack([U, W])
    for t in range(T):
        states.append(np.tanh(np.hstack([X[:, t], states[-1]]) @ big.T + b))
    return states[-1] @ V.T + c, np.stack(states)


@right("mse_loss")
def loss_by_norm(Y_hat, Y):
    d = Y_hat - Y
    return np.linalg.norm(d) ** 2 / (2 * len(d)), d / len(d)


@right("backward_step")
def step_by_dot(dh_t, h_t, h_prev, x_t, W):
    delta = np.multiply(dh_t, 1 - np.square(h_t))
    return delta, np.dot(delta, W), np.dot(delta.T, x_t), np.dot(delta.T, h_prev), delta.sum(0)


@right("bptt")
def bptt_by_recursion(dY_hat, X, states, W, V, k):
    def back(t, g, left):
        if left == 0:
            return 0, 0, 0
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = back(t - 1, delta @ W, left - 1)
        return dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)

    T = X.shape[1]
    dU, dW, db = back(T, dY_hat @ V, k)
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("numerical_gradient")
def gradient_by_unit_vectors(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        x += e
        up = f()
        x -= 2 * e
        down = f()
        x += e
        g[i] = (up - down) / (2 * eps)
    return g


@right("clip_gradients")
def clip_by_squared_norm(grads, threshold):
    sq = sum(float(np.sum(g * g)) for g in grads)
    if sq > threshold**2:
        return [g * (threshold / np.sqrt(sq)) for g in grads]
    return [g.copy() for g in grads]


@right("train_rnn")
def train_one_parameter_at_a_time(params, X, Y, learning_rate, epochs, threshold, k):
    params = list(params)
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*params, X, Y, k), threshold)
        for i in range(5):
            params[i] = params[i] - learning_rate * grads[i]
    return params


@right("gru_step")
def gru_by_split_columns(x_t, h_prev, U, W, b, b_n):
    a_r, a_z, a_n = np.split(x_t @ U.T + b, 3, axis=1)
    s_r, s_z, s_n = np.split(h_prev @ W.T, 3, axis=1)
    r, z = sigmoid(a_r + s_r), sigmoid(a_z + s_z)
    return (1 - z) * np.tanh(a_n + r * (s_n + b_n)) + z * h_prev


# === the last set: written after every change to the checkers; sorted by reading each message
# (REVIEW below), not by fragments ==============================================================

SET = "last"


@wrong("make_windows")
def window_starts_at_one(series, T):
    N = len(series) - T
    idx = np.arange(T)[None, :] + np.arange(N)[:, None] + 1
    return series[idx], series[T:]


@wrong("make_windows")
def windows_of_the_reversed_series(series, T):
    s = series[::-1]
    return np.stack([s[i:i + T] for i in range(len(s) - T)]), series[T:]


@wrong("make_windows")
def windows_ending_at_the_target(series, T):
    X = np.stack([series[i - T + 1:i + 1] for i in range(T, len(series))])
    return X, series[T:]


@wrong("make_windows")
def time_major_windows(series, T):
    return np.stack([series[i:i + T] for i in range(len(series) - T)], axis=1), series[T:]


@wrong("make_windows")
def standardized_windows(series, T):
    s = (series - series.mean(axis=0)) / series.std(axis=0)
    return np.stack([s[i:i + T] for i in range(len(s) - T)]), series[T:]


@wrong("make_windows")
def each_window_transposed(series, T):
    return np.stack([series[i:i + T].T for i in range(len(series) - T)]), series[T:]


@wrong("forward_step")
def forgets_the_state(x_t, h_prev, U, W, b):
    h = np.zeros_like(h_prev)
    return np.tanh(x_t @ U.T + h @ W.T + b)


@wrong("forward_step")
def recurrence_after_the_tanh(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + b) @ W.T


@wrong("forward_step")
def tanh_in_float32(x_t, h_prev, U, W, b):
    return np.tanh((x_t @ U.T + h_prev @ W.T + b).astype(np.float32))


@wrong("forward_step")
def einsum_with_swapped_indices(x_t, h_prev, U, W, b):
    return np.tanh(np.einsum("nd,dh->nh", x_t, U) + h_prev @ W.T + b)


@wrong("forward_step")
def adds_input_and_state(x_t, h_prev, U, W, b):
    return np.tanh((x_t + h_prev) @ W.T + b)


@wrong("forward_step")
def three_separate_terms(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T) + np.tanh(h_prev @ W.T) + b


@wrong("rnn_forward")
def always_from_h0(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[0], U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward")
def drops_the_last_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states[:-1])


@wrong("rnn_forward")
def own_step_without_transpose(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = np.tanh(X[:, t, :] @ U + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward")
def output_bias_in_every_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b + c)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward")
def prepends_each_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.insert(0, h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward")
def readout_as_columns(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return V @ h.T + c[:, None], np.stack(states)


@wrong("mse_loss")
def norm_not_squared(Y_hat, Y):
    diff = Y_hat - Y
    return np.linalg.norm(diff) / (2 * len(Y)), diff / len(Y)


@wrong("mse_loss")
def targets_transposed(Y_hat, Y):
    diff = Y_hat - Y.T
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y)


@wrong("mse_loss")
def floor_division(Y_hat, Y):
    diff = Y_hat - Y
    return float(np.sum(diff**2)) // (2 * len(Y)), diff / len(Y)


@wrong("mse_loss")
def mean_over_outputs(Y_hat, Y):
    diff = Y_hat - Y
    return 0.5 * np.mean(np.sum(diff**2, axis=0)), diff / len(Y)


@wrong("mse_loss")
def gradient_transposed(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), (diff / len(Y)).T


@wrong("mse_loss")
def gradient_in_float32(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), (diff / len(Y)).astype(np.float32)


@wrong("backward_step")
def recurrent_share_transposed_back(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, (delta.T @ h_prev).T, delta.sum(0)


@wrong("backward_step")
def bias_share_averaged(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(0) / len(delta)


@wrong("backward_step")
def mixed_up_derivative(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (1 - h_t) * (1 + h_prev), x_t, h_prev, W)


@wrong("backward_step")
def skip_connection(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W + dh_t, delta.T @ x_t, delta.T @ h_prev, delta.sum(0)


@wrong("backward_step")
def first_record_share(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, np.outer(delta[0], x_t[0]), delta.T @ h_prev, delta.sum(0)


@wrong("backward_step")
def returns_a_dict_of_shares(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return {"delta_t": delta, "dh_prev": delta @ W, "dU_t": delta.T @ x_t,
            "dW_t": delta.T @ h_prev, "db_t": delta.sum(0)}


@wrong("bptt")
def readout_over_the_window(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, _, db, dc = _bptt(dY_hat, X, states, W, V, range(T, T - k, -1))
    return dU, dW, sum(dY_hat.T @ states[t] for t in range(T, T - k, -1)), db, dc


@wrong("bptt")
def error_starts_without_v(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt")
def passes_delta_on(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt")
def skips_the_last_recurrent_share(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, np.zeros_like(W), 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, db = dU + delta.T @ X[:, t - 1], db + delta.sum(0)
        if t < T:
            dW = dW + delta.T @ states[t - 1]
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt")
def k_read_as_steps_to_skip(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T, k, -1))


@wrong("bptt")
def bias_gradient_kept_2d(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV, db[None, :], dc


@wrong("numerical_gradient")
def relative_step(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        h = eps * abs(old)
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient")
def evaluates_before_moving(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        up = f()
        x[i] = old + eps
        down = f()
        x[i] = old - eps
        x[i] = old
        g[i] = (up - down) / (2 * eps) * 0 + (down - down) / (2 * eps)
    return g


@wrong("numerical_gradient")
def normalized_gradient(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g / np.linalg.norm(g)


@wrong("numerical_gradient")
def ten_times_eps(f, x, eps=1e-6):
    eps = eps * 10
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient")
def steps_of_two_eps(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + 2 * eps
        up = f()
        x[i] = old - 2 * eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient")
def column_major_loop_on_2d(f, x, eps=1e-6):
    g = np.zeros_like(x)
    rows, cols = x.shape
    for j in range(cols):
        for i in range(rows):
            old = x[i, j]
            x[i, j] = old + eps
            up = f()
            x[i, j] = old - eps
            down = f()
            x[i, j] = old
            g[i, j] = (up - down) / (2 * eps)
    return g


@wrong("clip_gradients")
def own_norms_global_threshold(grads, threshold):
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * threshold / np.linalg.norm(g) if total > threshold else g for g in grads]


@wrong("clip_gradients")
def matrices_only(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads if g.ndim == 2))
    return [g * threshold / n if n > threshold else g for g in grads]


@wrong("clip_gradients")
def squared_norm_in_the_test(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * threshold / n if n**2 > threshold else g for g in grads]


@wrong("clip_gradients")
def clipped_in_float32(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [(g * min(1.0, threshold / n)).astype(np.float32) for g in grads]


@wrong("clip_gradients")
def forgets_the_last_array(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = min(1.0, threshold / n)
    return [g * scale for g in grads[:-1]] + [grads[-1]]


@wrong("clip_gradients")
def divides_by_the_scale(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = threshold / n
    return [g / scale if n > threshold else g for g in grads]


@wrong("train_rnn")
def learning_rate_on_u_only(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dU, dW, dV, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = U - learning_rate * dU, W - dW, V - dV, b - db, c - dc
    return [U, W, V, b, c]


@wrong("train_rnn")
def sums_the_gradients_of_all_epochs(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    total = [0.0] * 5
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        total = [t + g for t, g in zip(total, grads, strict=True)]
        U, W, V, b, c = (p - learning_rate * t for p, t in zip((U, W, V, b, c), total,
                                                               strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn")
def forward_with_v_and_c_swapped(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, c, b, V)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn")
def starts_counting_at_one(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(1, epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn")
def clips_the_parameters(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        new = [p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True)]
        U, W, V, b, c = my.clip_gradients(new, threshold)
    return [U, W, V, b, c]


@wrong("train_rnn")
def returns_the_last_gradients(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return list(grads)


@wrong("gru_step")
def precedence_gives_cho(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * h_prev @ W[2 * H:].T + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step")
def rows_of_the_transpose(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W.T[:H] + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step")
def one_minus_reset(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + (1 - r) * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step")
def b_n_in_every_gate(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H] + b_n)
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H] + b_n)
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step")
def state_as_columns(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return ((1 - z) * n + z * h_prev).T


@wrong("gru_step")
def update_gate_from_the_input_only(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


# --- set "s6": written in session 6 before any checker was changed --------------------------------
# Eight or more per exercise, as learners type them; none taken from the tests or the sets above.
# Each carries the fragments that a message naming its real slip contains.

SET = "s6"


@wrong("make_windows", "changed its input series in place")
def mw_centres_the_series_in_place(series, T):
    series -= series.mean(axis=0)
    N = len(series) - T
    return np.stack([series[i:i + T] for i in range(N)]), series[T:]


@wrong("make_windows", "the argument T", "T = 50")
def mw_window_length_from_the_notebook(series, T):
    N = len(series) - 50
    return np.array([series[i:i + 50] for i in range(N)]), series[50:]


@wrong("make_windows", "reshape", "transpose")
def mw_reshaped_instead_of_transposed(series, T):
    N, D = len(series) - T, series.shape[1]
    view = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)[:N]  # (N, D, T)
    return view.reshape(N, T, D), series[T:]


@wrong("make_windows", "the first window is missing")
def mw_windows_from_one_to_t(series, T):
    L = len(series)
    X = np.stack([series[i + 1:i + T + 1] for i in range(L - T - 1)])
    return X, series[T + 1:]


@wrong("make_windows", "one window too few")
def mw_drops_the_last_window(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])[:-1]
    return X, series[T:-1]


@wrong("make_windows", "a whole window", "series[i + T]")
def mw_targets_are_the_next_window(series, T):
    N = len(series) - T
    return (np.stack([series[i:i + T] for i in range(N)]),
            np.stack([series[i + 1:i + T + 1] for i in range(N)]))


@wrong("make_windows", "ravel", "flattened")
def mw_targets_raveled(series, T):
    N = len(series) - T
    return np.stack([series[i:i + T] for i in range(N)]), series[T:].ravel()


@wrong("make_windows", "shape[0]", "len(series)")
def mw_length_from_the_channel_axis(series, T):
    N = series.shape[1] - T
    return np.stack([series[i:i + T] for i in range(N)]), series[T:T + N]


@wrong("make_windows", "one target too few")
def mw_targets_from_the_next_window(series, T):
    N = len(series) - T
    X = np.stack([series[i:i + T] for i in range(N)])
    return X, X[1:, -1]


@right("make_windows")
def mw_right_with_a_while_loop(series, T):
    X, Y, i = [], [], 0
    while i + T < len(series):
        X.append(series[i:i + T])
        Y.append(series[i + T])
        i += 1
    return np.array(X), np.array(Y)


@wrong("forward_step", "sign", "+ h_prev @ W.T")
def fs_state_part_subtracted(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T - h_prev @ W.T + b)


@wrong("forward_step", "h_prev @ W.T", "W multiplies h_prev")
def fs_u_for_the_state_too(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ U.T + b)


@wrong("forward_step", "b.sum()", "add b as it is")
def fs_bias_summed(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b.sum())


@wrong("forward_step", "averaged over the records", "mean")
def fs_mean_over_the_batch(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b).mean(axis=0)


@wrong("forward_step", "h_prev[0]", "first record's state")
def fs_first_records_state_for_all(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev[0] @ W.T + b)


@wrong("forward_step", "b is added twice", "once")
def fs_bias_in_both_terms(x_t, h_prev, U, W, b):
    return np.tanh((x_t @ U.T + b) + (h_prev @ W.T + b))


@wrong("forward_step", "h_prev is already", "tanh of h_prev")
def fs_squashes_the_previous_state(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + np.tanh(h_prev) @ W.T + b)


@wrong("forward_step", "W is not transposed")
def fs_columns_for_u_rows_for_w(x_t, h_prev, U, W, b):
    return np.tanh((U @ x_t.T).T + h_prev @ W + b)


@right("forward_step")
def fs_right_as_columns(x_t, h_prev, U, W, b):
    return np.tanh(U @ x_t.T + W @ h_prev.T + b[:, None]).T


@wrong("rnn_forward", "sum", "last state")
def rf_prediction_from_the_sum_of_states(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    states = np.stack(states)
    return states.sum(axis=0) @ V.T + c, states


@wrong("rnn_forward", "forward_step(x_t, h_prev, U, W, b)", "U and W")
def rf_u_and_w_swapped_in_the_call(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, W, U, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[0] holds values other than zero")
def rf_small_random_initial_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.random.default_rng(0).normal(0.0, 0.01, (N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "changed its input X in place")
def rf_centres_x_in_place(X, U, W, V, b, c):
    X -= X.mean()
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "float32")
def rf_float32_buffer(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]), dtype=np.float32)
    for t in range(T):
        states[t + 1] = my.forward_step(X[:, t], states[t], U, W, b)
    return states[T] @ V.T + c, states


@wrong("rnn_forward", "X[:, -1]", "one step early")
def rf_reads_t_minus_one_from_zero(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t - 1], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "the last state h_T is missing", "T steps")
def rf_loop_one_step_short(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T - 1):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "time-major")
def rf_stacked_on_axis_one(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states, axis=1)


@right("rnn_forward")
def rf_right_with_a_while_loop(X, U, W, V, b, c):
    N, T, D = X.shape
    states = [np.zeros((N, len(b)))]
    t = 0
    while t < T:
        states.append(np.tanh(X[:, t] @ U.T + states[-1] @ W.T + b))
        t += 1
    return states[-1] @ V.T + c, np.array(states)


@wrong("mse_loss", "the 1/N is missing")
def ml_no_division_by_n(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / 2, diff


@wrong("mse_loss", "sign", "(Y_hat - Y) / N")
def ml_gradient_of_the_target(Y_hat, Y):
    N = len(Y)
    return np.sum((Y_hat - Y) ** 2) / (2 * N), 2 * (Y - Y_hat) / N


@wrong("mse_loss", "derivative", "(Y_hat - Y) / N")
def ml_gradient_squared(Y_hat, Y):
    N = len(Y)
    return np.sum((Y_hat - Y) ** 2) / (2 * N), (Y_hat - Y) ** 2 / N


@wrong("mse_loss", "the 1/2 is missing")
def ml_mean_of_record_sums(Y_hat, Y):
    diff = Y_hat - Y
    return np.mean(np.sum(diff**2, axis=1)), diff / len(Y)


@wrong("mse_loss", "changed its input Y_hat in place")
def ml_difference_in_place(Y_hat, Y):
    Y_hat -= Y
    return np.sum(Y_hat**2) / (2 * len(Y)), Y_hat / len(Y)


@wrong("mse_loss", "square of the sum", "sum of the squares")
def ml_square_of_the_sum(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff) ** 2 / (2 * len(Y)), diff / len(Y)


@wrong("mse_loss", "brackets", "/ (2 * N)")
def ml_precedence(Y_hat, Y):
    N = len(Y)
    diff = Y_hat - Y
    return np.sum(diff**2) / 2 * N, diff / N


@wrong("mse_loss", "keepdims", "over the outputs too")
def ml_loss_per_output_kept_2d(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2, axis=0, keepdims=True) / (2 * len(Y)), diff / len(Y)


@right("mse_loss")
def ml_right_half_mean_of_record_sums(Y_hat, Y):
    diff = Y_hat - Y
    return 0.5 * np.mean(np.sum(diff * diff, axis=1)), diff / Y.shape[0]


@wrong("backward_step", "+=", "every record", "last record")
def bs_outer_products_overwritten(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    for n in range(len(delta)):
        dU = np.outer(delta[n], x_t[n])
        dW = np.outer(delta[n], h_prev[n])
    return delta, delta @ W, dU, dW, delta.sum(axis=0)


@wrong("backward_step", "1 - h_t**2")
def bs_derivative_one_minus_h(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (1 - h_t), x_t, h_prev, W)


@wrong("backward_step", "h_prev", "dW_t = delta_t.T @ h_prev")
def bs_recurrent_share_with_the_input(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ x_t, delta.sum(axis=0)


@wrong("backward_step", "dh_t is used instead of delta_t")
def bs_shares_from_the_incoming_error(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, dh_t.T @ x_t, dh_t.T @ h_prev, dh_t.sum(axis=0)


@wrong("backward_step", "float32")
def bs_delta_in_float32(dh_t, h_t, h_prev, x_t, W):
    delta = (dh_t * (1 - h_t**2)).astype(np.float32)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "every record", "one row per record")
def bs_error_summed_before_passing_back(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta.sum(axis=0) @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "another order")
def bs_shares_in_another_order(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ h_prev, delta.T @ x_t, delta.sum(axis=0)


@wrong("backward_step", "sign", "1 - h_t**2")
def bs_derivative_of_the_wrong_sign(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (h_t**2 - 1), x_t, h_prev, W)


@right("backward_step")
def bs_right_with_dot_and_reduce(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t - dh_t * h_t**2
    return (delta, np.dot(delta, W), np.dot(delta.T, x_t), np.dot(delta.T, h_prev),
            np.add.reduce(delta, axis=0))


@wrong("bptt", "forward in time", "T, T-1")
def bp_loop_forward_in_time(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T - k + 1, T + 1))


@wrong("bptt", "+=")
def bp_every_share_overwritten(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU = delta.T @ X[:, t - 1]
        dW = delta.T @ states[t - 1]
        db = delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "range(T, T - k, -1)", "last k steps")
def bp_first_k_steps(dY_hat, X, states, W, V, k):
    return _bptt(dY_hat, X, states, W, V, range(k, 0, -1))


@wrong("bptt", "float32")
def bp_float32_accumulators(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU = np.zeros((W.shape[0], X.shape[2]), dtype=np.float32)
    dW, db = np.zeros_like(W, dtype=np.float32), np.zeros(W.shape[0], dtype=np.float32)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "k - 1")
def bp_window_one_too_short(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, range(T, T - k + 1, -1))


@wrong("bptt", "transpose")
def bp_readout_gradient_transposed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, _, db, dc = _bptt(dY_hat, X, states, W, V, range(T, T - k, -1))
    return dU, dW, states[T].T @ dY_hat, db, dc


@wrong("bptt", "delta_t @ W", "W.T")
def bp_passes_back_through_w_transposed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W.T
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "1 - h_t**2", "derivative")
def bp_no_tanh_derivative(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "average", "divided by k", "sum")
def bp_shares_averaged_over_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(T, T - k, -1))
    return dU / k, dW / k, dV, db / k, dc


@right("bptt")
def bp_right_by_a_reversed_list(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = dY_hat @ V
    shares = [np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])]
    for t in reversed(range(T - k + 1, T + 1)):
        delta = g * (1 - states[t] ** 2)
        shares[0] = shares[0] + np.einsum("nh,nd->hd", delta, X[:, t - 1])
        shares[1] = shares[1] + np.einsum("nh,ng->hg", delta, states[t - 1])
        shares[2] = shares[2] + delta.sum(axis=0)
        g = delta @ W
    return shares[0], shares[1], dY_hat.T @ states[-1], shares[2], dY_hat.sum(axis=0)


@wrong("numerical_gradient", "f()", "takes no argument")
def ng_calls_f_with_x(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "integers")
def ng_integer_buffer(f, x, eps=1e-6):
    g = np.zeros(x.shape, dtype=int)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "abs", "sign")
def ng_absolute_difference(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = abs(up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "ignores its argument eps", "use eps")
def ng_fixed_step(f, x, eps=1e-6):
    h = 1e-5
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * h)
    return g


@wrong("numerical_gradient", "minus", "f(x + eps) - f(x - eps)")
def ng_sum_of_the_two_values(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up + down) / (2 * eps)
    return g


@wrong("numerical_gradient", "that is its transpose")
def ng_returns_the_transpose(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g.T


@wrong("numerical_gradient", "2 * eps", "divide by 2 eps")
def ng_divides_by_half_eps(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (eps / 2)
    return g


@wrong("numerical_gradient", "x - eps", "second call")
def ng_plus_eps_twice(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old + eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def ng_right_restoring_by_arithmetic(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f()
        x[i] -= 2 * eps
        down = f()
        x[i] += eps
        g[i] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def ng_right_over_flat_indices(f, x, eps=1e-6):
    g = np.zeros(x.size)
    for j in range(x.size):
        i = np.unravel_index(j, x.shape)
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[j] = (up - down) / (2 * eps)
    return g.reshape(x.shape)


def _norm(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads))


@wrong("clip_gradients", "min", "max")
def cg_max_instead_of_min(grads, threshold):
    scale = max(1.0, threshold / _norm(grads))
    return [g * scale for g in grads]


@wrong("clip_gradients", "mean", "sum of ALL squares")
def cg_norm_from_means(grads, threshold):
    n = np.sqrt(sum(np.mean(g**2) for g in grads))
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "//", "floor")
def cg_floor_division(grads, threshold):
    n = _norm(grads)
    return [g * (threshold // n) if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "scaled to norm 1")
def cg_divides_by_the_norm(grads, threshold):
    n = _norm(grads)
    return [g / n if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "in place", "new list")
def cg_replaces_the_list_items(grads, threshold):
    n = _norm(grads)
    if n > threshold:
        for i in range(len(grads)):
            grads[i] = grads[i] * (threshold / n)
    return grads


@wrong("clip_gradients", "global norm", "any")
def cg_clips_when_any_array_is_too_long(grads, threshold):
    n = _norm(grads)
    if any(np.linalg.norm(g) > threshold for g in grads):
        return [g * (threshold / n) for g in grads]
    return [g.copy() for g in grads]


@wrong("clip_gradients", "square", "threshold / norm")
def cg_factor_squared(grads, threshold):
    n = _norm(grads)
    return [g * (threshold / n) ** 2 if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "len(grads)", "divided")
def cg_norm_divided_by_the_count(grads, threshold):
    n = _norm(grads) / len(grads)
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@right("clip_gradients")
def cg_right_with_np_clip_of_the_factor(grads, threshold):
    factor = np.clip(threshold / max(_norm(grads), 1e-300), 0.0, 1.0)
    return [g * factor for g in grads]


@wrong("train_rnn", "W, V", "bptt(dY_hat, X, states, W, V, k)")
def tr_v_and_w_swapped_in_bptt(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, V, W, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "forward pass", "every epoch")
def tr_forward_once_before_the_loop(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
    for _ in range(epochs):
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "clipping is missing", "clipped")
def tr_clips_but_uses_the_raw_gradients(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        clipped = my.clip_gradients(grads, threshold)  # noqa: F841 (the slip: never used)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "mse_loss(Y_hat, Y)")
def tr_loss_arguments_swapped(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y, Y_hat)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "weight decay", "only the gradient")
def tr_with_weight_decay(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * (g + 1e-4 * p)
                         for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "only the first update took effect", "previous one produced")
def tr_unpacks_params_in_every_epoch(params, X, Y, learning_rate, epochs, threshold, k):
    for _ in range(epochs):
        U, W, V, b, c = params
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "one epoch too few", "range(epochs)")
def tr_loops_over_k(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(k):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "float32")
def tr_float32_parameters(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (p.astype(np.float32) for p in params)
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "return a list of the five trained arrays")
def tr_returns_the_losses_too(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    losses = []
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        L, dY = my.mse_loss(Y_hat, Y)
        losses.append(L)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c], losses


@right("train_rnn")
def tr_right_with_a_list_comprehension(params, X, Y, learning_rate, epochs, threshold, k):
    p = list(params)
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, *p)
        dY = my.mse_loss(Y_hat, Y)[1]
        g = my.clip_gradients(list(my.bptt(dY, X, states, p[1], p[2], k)), threshold)
        p = [a - learning_rate * d for a, d in zip(p, g, strict=True)]
    return p


@wrong("gru_step", "z * h_prev")
def gs_forgets_the_kept_state(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n


@wrong("gru_step", "h_prev.shape[1]", "U.shape[0] // 3")
def gs_h_from_the_rows_of_u(x_t, h_prev, U, W, b, b_n):
    H = U.shape[0]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "r * (h_prev @ W_n.T + b_n)", "reset gate multiplies")
def gs_resets_the_input_part(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(r * a[:, 2 * H:] + s[:, 2 * H:] + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "float32")
def gs_float32_gates(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H]).astype(np.float32)
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H]).astype(np.float32)
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "+ z * h_prev", "sign")
def gs_subtracts_the_kept_state(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n - z * h_prev


@wrong("gru_step", "changed its input h_prev in place")
def gs_mixes_into_h_prev(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    h_prev *= z
    h_prev += (1 - z) * n
    return h_prev


@wrong("gru_step", "sigmoid", "1 / (1 + exp(-a))")
def gs_sigmoid_from_tanh_without_halving(x_t, h_prev, U, W, b, b_n):
    def gate(v):
        return (np.tanh(v) + 1) / 2

    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = gate(a[:, :H] + s[:, :H])
    z = gate(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "h_prev @ W[:H].T", "gates r and z", "W_r h_prev")
def gs_gates_from_the_input_only(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H])
    z = sigmoid(a[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def gs_right_by_np_split(x_t, h_prev, U, W, b, b_n):
    xr, xz, xn = np.split(x_t @ U.T + b, 3, axis=1)
    hr, hz, hn = np.split(h_prev @ W.T, 3, axis=1)
    r, z = sigmoid(xr + hr), sigmoid(xz + hz)
    n = np.tanh(xn + r * (hn + b_n))
    return n + z * (h_prev - n)


# --- set "s6-fresh": written in session 6 after the checkers were changed for the sets above ----
# The checkers were not changed for it: its row is the honest held-out score of session 6.

SET = "s6-fresh"


@wrong("make_windows", "channel axis D is missing")
def mwf_squeezed_stack(series, T):
    X = np.array([series[i:i + T] for i in range(len(series) - T)]).squeeze()
    return X, series[T:]


@wrong("make_windows", "i + T", "series[i : i + T]")
def mwf_slice_end_not_shifted(series, T):
    X = np.stack([series[i:T] for i in range(len(series) - T)])
    return X, series[T:]


@wrong("make_windows", "first channel", "D values")
def mwf_target_column_of_the_first_channel(series, T):
    return np.stack([series[i:i + T] for i in range(len(series) - T)]), series[T:, :1]


@wrong("make_windows", "transpose", "(N, T, D)")
def mwf_whole_array_transposed(series, T):
    return np.stack([series[i:i + T] for i in range(len(series) - T)]).T, series[T:]


@right("make_windows")
def mwf_right_from_the_targets(series, T):
    X = np.empty((len(series) - T, T, series.shape[1]))
    for i in range(T, len(series)):
        X[i - T] = series[i - T:i]
    return X, series[T:].copy()


@wrong("forward_step", "ReLU", "np.maximum")
def fsf_relu_inside_the_tanh(x_t, h_prev, U, W, b):
    return np.tanh(np.maximum(x_t @ U.T + h_prev @ W.T + b, 0.0))


@wrong("forward_step", "x_t @ U.T")
def fsf_u_untransposed(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U + h_prev @ W.T + b)


@wrong("forward_step", "tanh", "arctan")
def fsf_arctan(x_t, h_prev, U, W, b):
    return np.arctan(x_t @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "a / 2", "tanh(a_t)", "halved")
def fsf_half_the_pre_activation(x_t, h_prev, U, W, b):
    return np.tanh((x_t @ U.T + h_prev @ W.T + b) / 2)


@right("forward_step")
def fsf_right_through_exp(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return 1 - 2 / (np.exp(2 * a) + 1)


@wrong("rnn_forward", "X[:, 0]", "T steps", "t = 1 .. T")
def rff_loop_from_one(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(1, T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "the same array was stored", "in place")
def rff_state_updated_in_place(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h[:] = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "scale", "as it is")
def rff_inputs_rescaled(X, U, W, V, b, c):
    X = X / np.abs(X).max()
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "W is not transposed")
def rff_passes_w_transposed_to_the_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W.T, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def rff_right_with_einsum_steps(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for t in range(T):
        states[t + 1] = np.tanh(np.einsum("nd,hd->nh", X[:, t], U)
                                + np.einsum("nk,hk->nh", states[t], W) + b)
    return states[T] @ V.T + c, states


@wrong("mse_loss", "sign", "(Y_hat - Y) / N")
def mlf_gradient_of_the_absolute_error(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), np.sign(diff) / len(Y)


@wrong("mse_loss", "(Y_hat - Y) / N", "records")
def mlf_gradient_over_the_outputs(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y_hat.T)


@wrong("mse_loss", "small", "1e-8")
def mlf_loss_with_an_epsilon(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)) + 1e-8, diff / len(Y)


@wrong("mse_loss", "the 1/2 is missing")
def mlf_loss_by_dot(Y_hat, Y):
    d = (Y_hat - Y).ravel()
    return np.dot(d, d) / len(Y), (Y_hat - Y) / len(Y)


@right("mse_loss")
def mlf_right_mean_over_records(Y_hat, Y):
    diff = Y_hat - Y
    return 0.5 * np.mean(diff**2, axis=0).sum(), diff / Y.shape[0]


@wrong("backward_step", "delta_t @ W")
def bsf_w_times_delta(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, W @ delta, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "delta_t.T @ x_t")
def bsf_input_share_by_broadcast(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, (delta * x_t).sum(axis=0), delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "mean", "every record", "its own")
def bsf_error_averaged_over_records(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t.mean(axis=0) * (1 - h_t**2), x_t, h_prev, W)


@wrong("backward_step", "as if it were the pre-activation")
def bsf_derivative_by_cosh(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t / np.cosh(h_t) ** 2, x_t, h_prev, W)


@right("backward_step")
def bsf_right_by_matmul(dh_t, h_t, h_prev, x_t, W):
    delta = np.multiply(dh_t, 1.0 - np.square(h_t))
    return (delta, np.matmul(delta, W), np.matmul(delta.T, x_t), np.matmul(delta.T, h_prev),
            delta.sum(axis=0))


@wrong("bptt", "range(T, T - k, -1)", "t = T")
def bpf_window_shifted_back(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    return _bptt(dY_hat, X, states, W, V, reversed(range(T - k, T)))


@wrong("bptt", "axis 0", "records")
def bpf_bias_share_over_units(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(1)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "delta_t @ W", "tanh'")
def bpf_passes_g_not_delta(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = g @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "transpose", "delta_t.T @")
def bpf_recurrent_share_transposed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + states[t - 1].T @ delta, db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def bpf_right_with_an_index_list(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = np.dot(dY_hat, V)
    for t in list(range(T - k + 1, T + 1))[::-1]:
        delta = g * (1 - states[t]) * (1 + states[t])
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, np.dot(dY_hat.T, states[T]), db, np.sum(dY_hat, axis=0)


@wrong("numerical_gradient", "np.zeros_like(x)", "x's shape")
def ngf_buffer_of_the_first_axis(f, x, eps=1e-6):
    g = np.zeros(x.shape[0])
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "left changed", "restore")
def ngf_restores_by_rebinding(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x.copy()
        x[i] += eps
        up = f()
        x[i] -= 2 * eps
        down = f()
        x = saved
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "x - eps", "saved - eps")
def ngf_second_point_two_eps_down(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - 2 * eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "saved + eps", "x[i] = eps")
def ngf_sets_the_element_to_eps(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = eps
        up = f()
        x[i] = -eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def ngf_right_over_flat_positions(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for j in range(x.size):
        old = x.flat[j]
        x.flat[j] = old + eps
        up = f()
        x.flat[j] = old - eps
        down = f()
        x.flat[j] = old
        g.flat[j] = (up - down) / 2 / eps
    return g


@wrong("clip_gradients", "np.clip", "clipping by value")
def cgf_norm_then_value(grads, threshold):
    n = _norm(grads)
    scale = min(1.0, threshold / n)
    return [np.clip(g * scale, -threshold / 4, threshold / 4) for g in grads]


@wrong("clip_gradients", "mean", "sum of ALL squares")
def cgf_root_mean_square(grads, threshold):
    flat = np.concatenate([g.ravel() for g in grads])
    n = np.sqrt(np.mean(flat**2))
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "left unscaled", "every array")
def cgf_matrices_scaled_only(grads, threshold):
    n = _norm(grads)
    s = min(1.0, threshold / n)
    return [g * s if g.ndim == 2 else g.copy() for g in grads]


@wrong("clip_gradients", "square", "threshold / norm")
def cgf_factor_over_the_squared_norm(grads, threshold):
    sq = sum(np.sum(g**2) for g in grads)
    return [g * (threshold / sq) if sq > threshold**2 else g.copy() for g in grads]


@right("clip_gradients")
def cgf_right_norm_of_norms(grads, threshold):
    n = np.linalg.norm([np.linalg.norm(g) for g in grads])
    return [g * (threshold / n) if n > threshold else np.array(g) for g in grads]


@wrong("train_rnn", "p - learning_rate * g", "normalized", "its norm")
def trf_normalized_steps(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g / np.linalg.norm(g)
                         for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "pass k itself", "k")
def trf_epochs_as_the_depth(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, epochs), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "learning rate changes", "fixed")
def trf_rate_over_the_epoch_number(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for epoch in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        rate = learning_rate / (epoch + 1)
        U, W, V, b, c = (p - rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "own gradient", "dU, dW, dV, db, dc")
def trf_gradients_unpacked_backwards(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dc, db, dV, dW, dU = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@right("train_rnn")
def trf_right_with_a_dict_of_names(params, X, Y, learning_rate, epochs, threshold, k):
    p = dict(zip("UWVbc", params, strict=True))
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, p["U"], p["W"], p["V"], p["b"], p["c"])
        _, dY = my.mse_loss(Y_hat, Y)
        g = my.clip_gradients(list(my.bptt(dY, X, states, p["W"], p["V"], k)), threshold)
        p = {name: p[name] - learning_rate * d for name, d in zip("UWVbc", g, strict=True)}
    return [p[name] for name in "UWVbc"]


@wrong("gru_step", "z and 1 - z are swapped")
def gsf_update_gate_of_the_negative(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(-(a[:, H:2 * H] + s[:, H:2 * H]))
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b[2*H:]", "b_xn")
def gsf_candidate_without_its_input_bias(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "U[H:2*H]")
def gsf_update_gate_with_the_reset_input_rows(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(x_t @ U[:H].T + b[H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "tanh", "h_t = (1 - z) * n + z * h_prev")
def gsf_squashes_the_new_state(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return np.tanh((1 - z) * n + z * h_prev)


@right("gru_step")
def gsf_right_by_hsplit(x_t, h_prev, U, W, b, b_n):
    xr, xz, xn = np.hsplit(x_t @ U.T + b, 3)
    hr, hz, hn = np.hsplit(h_prev @ W.T, 3)
    r = 0.5 * (1 + np.tanh(0.5 * (xr + hr)))
    z = 0.5 * (1 + np.tanh(0.5 * (xz + hz)))
    return (1 - z) * np.tanh(xn + r * (hn + b_n)) + z * h_prev


# --- set "s6-final": written at the end of session 6, after the last checker change ------------
# Nothing was changed after it was measured: its row is the honest held-out score of the final
# checkers (set s6-fresh was measured once, 13 named of 40, and then the general diagnoses that it
# showed missing were added, so its later rows are no longer held out).

SET = "s6-final"


@wrong("make_windows", "axes in another order", "transpose")
def mwz_stacked_on_the_last_axis(series, T):
    return np.stack([series[i:i + T] for i in range(len(series) - T)], axis=-1), series[T:]


@wrong("make_windows", "mean", "whole row")
def mwz_targets_averaged_over_channels(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    return X, series[T:].mean(axis=1, keepdims=True)


@wrong("make_windows", "one window too many")
def mwz_one_more_start(series, T):
    N = len(series) - T + 1
    return np.stack([series[i:i + T] for i in range(N)]), series[T - 1:]


@right("make_windows")
def mwz_right_by_roll(series, T):
    N = len(series) - T
    X = np.stack([np.roll(series, -i, axis=0)[:T] for i in range(N)])
    return X, np.roll(series, -T, axis=0)[:N]


@wrong("forward_step", "h_prev is added", "residual")
def fsz_residual_state(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b) + h_prev


@wrong("forward_step", "multiplied", "+")
def fsz_times_for_plus(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T * (h_prev @ W.T) + b)


@wrong("forward_step", "W is not transposed")
def fsz_identity_transpose(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ np.transpose(W, (0, 1)) + b)


@right("forward_step")
def fsz_right_by_dot(x_t, h_prev, U, W, b):
    return np.tanh(np.dot(x_t, U.T) + np.dot(W, h_prev.T).T + b)


@wrong("rnn_forward", "(1, 4)", "np.zeros((N, H))")
def rfz_one_row_initial_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((1, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "X.shape[1]", "T steps")
def rfz_steps_counted_from_the_records(X, U, W, V, b, c):
    N = X.shape[0]
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(N):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "tanh", "states[T] @ V.T + c")
def rfz_readout_of_the_tanh_of_the_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return np.tanh(h) @ V.T + c, np.stack(states)


@right("rnn_forward")
def rfz_right_with_copies(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h.copy()]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h.copy())
    return states[-1] @ V.T + c, np.array(states)


@wrong("mse_loss", "N - 1", "(Y_hat - Y) / N")
def mlz_bessel_correction(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / (len(Y) - 1)


@wrong("mse_loss", "np.var", "variance")
def mlz_variance_of_the_error(Y_hat, Y):
    diff = Y_hat - Y
    return np.var(diff) / 2, diff / len(Y)


@wrong("mse_loss", "brackets", "(Y_hat - Y) / N")
def mlz_gradient_precedence(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), Y_hat / len(Y) - Y


@right("mse_loss")
def mlz_right_mean_of_column_means(Y_hat, Y):
    diff = Y_hat - Y
    return ((diff**2).mean(axis=0)).sum() / 2, diff / len(diff)


@wrong("backward_step", "1 - h_t**2")
def bsz_derivative_with_both_states(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (1 - h_t * h_prev), x_t, h_prev, W)


@wrong("backward_step", "delta_t.T @ h_prev", "h_t")
def bsz_recurrent_share_of_both_states(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev + delta.T @ h_t, delta.sum(0)


@wrong("backward_step", "tanh", "h_prev as it is")
def bsz_tanh_of_the_previous_state(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ np.tanh(h_prev), delta.sum(0)


@right("backward_step")
def bsz_right_by_records_and_sums(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    dU = sum(np.outer(d, x) for d, x in zip(delta, x_t, strict=True))
    dW = sum(np.outer(d, h) for d, h in zip(delta, h_prev, strict=True))
    return delta, delta @ W, dU, dW, delta.sum(axis=0)


@wrong("bptt", "1 - h_t**2")
def bpz_derivative_without_the_one(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * states[t] ** 2
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dV", "divided by k")
def bpz_readout_over_k(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(T, T - k, -1))
    return dU, dW, dV / k, db, dc


@wrong("bptt", "db", "sum", "mean")
def bpz_bias_share_averaged(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.mean(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def bpz_right_collect_then_sum(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g, deltas = dY_hat @ V, {}
    for t in range(T, T - k, -1):
        deltas[t] = g * (1 - states[t] ** 2)
        g = deltas[t] @ W
    dU = sum(d.T @ X[:, t - 1] for t, d in deltas.items())
    dW = sum(d.T @ states[t - 1] for t, d in deltas.items())
    db = sum(d.sum(axis=0) for d in deltas.values())
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "one element at a time", "x[i]")
def ngz_always_the_first_element(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x.flat[0]
        x.flat[0] = old + eps
        up = f()
        x.flat[0] = old - eps
        down = f()
        x.flat[0] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "left changed")
def ngz_saves_after_moving(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        saved = x[i]
        up = f()
        x[i] = saved - 2 * eps
        down = f()
        x[i] = saved
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "float16", "float64")
def ngz_half_precision_buffer(f, x, eps=1e-6):
    g = np.zeros_like(x, dtype=np.float16)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def ngz_right_dividing_by_eps_plus_eps(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (eps + eps)
    return g


@wrong("clip_gradients", "sum of ALL squares")
def cgz_norm_of_the_sums(grads, threshold):
    n = np.sqrt(sum(g.sum() ** 2 for g in grads))
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "threshold / norm")
def cgz_subtracts_the_scaled_part(grads, threshold):
    n = _norm(grads)
    return [g - g * (threshold / n) if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "order", "one array per gradient")
def cgz_reversed_list(grads, threshold):
    n = _norm(grads)
    return [g * min(1.0, threshold / n) for g in grads[::-1]]


@right("clip_gradients")
def cgz_right_by_vdot(grads, threshold):
    n = np.sqrt(sum(np.vdot(g, g) for g in grads))
    factor = threshold / n if n > threshold else 1.0
    return [factor * g for g in grads]


@wrong("train_rnn", "before each update", "clip the gradients")
def trz_clips_the_step(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        steps = my.clip_gradients([learning_rate * g for g in grads], threshold)
        U, W, V, b, c = (p - s for p, s in zip((U, W, V, b, c), steps, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "only the first update took effect")
def trz_updates_from_the_input_list(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
    return [U, W, V, b, c]


@wrong("train_rnn", "threshold", "clip_gradients(grads, threshold)")
def trz_threshold_times_n(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold * len(X))
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def trz_right_with_an_index_loop(params, X, Y, learning_rate, epochs, threshold, k):
    p = [np.array(a) for a in params]
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, *p)
        grads = my.clip_gradients(list(my.bptt(my.mse_loss(Y_hat, Y)[1], X, states, p[1], p[2],
                                               k)), threshold)
        for i in range(5):
            p[i] = p[i] - learning_rate * grads[i]
    return p


@wrong("gru_step", "b_n", "once")
def gsz_b_n_twice(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n) + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "it returns the candidate n", "z * h_prev")
def gsz_n_for_h_prev(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * n


@wrong("gru_step", "z", "the update gate")
def gsz_reset_gate_mixes(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - r) * n + r * h_prev


@right("gru_step")
def gsz_right_per_gate_blocks(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    Ur, Uz, Un = U[:H], U[H:2 * H], U[2 * H:]
    Wr, Wz, Wn = W[:H], W[H:2 * H], W[2 * H:]
    br, bz, bn = b[:H], b[H:2 * H], b[2 * H:]
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    n = np.tanh(x_t @ Un.T + bn + r * (h_prev @ Wn.T + b_n))
    return z * h_prev + (1 - z) * n


# --- set "s6-last": written at the very end of session 6, after the last checker change ----------
# Nothing was changed after it was measured.

SET = "s6-last"


@wrong("make_windows", "reverse order", "oldest first")
def mwq_windows_counted_from_the_end(series, T):
    N = len(series) - T
    X = np.stack([series[len(series) - 1 - i - T:len(series) - 1 - i] for i in range(N)])
    return X, series[T:]


@wrong("make_windows", "np.diff", "differences", "as it is")
def mwq_windows_of_the_differences(series, T):
    d = np.diff(series, axis=0)
    return np.stack([d[i:i + T] for i in range(len(d) - T)]), series[T + 1:]


@wrong("make_windows", "centred", "mean", "as it is")
def mwq_each_window_centred(series, T):
    X = np.stack([series[i:i + T] - series[i:i + T].mean(axis=0) for i in range(len(series) - T)])
    return X, series[T:]


@right("make_windows")
def mwq_right_from_the_series_without_its_last_row(series, T):
    s = series[:-1]
    return np.stack([s[i:i + T] for i in range(len(s) - T + 1)]), series[T:]


@wrong("forward_step", "h_prev @ W.T")
def fsq_w_on_the_left(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + W @ h_prev.T + b)


@wrong("forward_step", "tanh(b)", "the bias b")
def fsq_tanh_of_the_bias(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T) + np.tanh(b)


@wrong("forward_step", "mean", "normaliz")
def fsq_centred_pre_activation(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return np.tanh(a - a.mean(axis=1, keepdims=True))


@right("forward_step")
def fsq_right_times_identity(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b) @ np.eye(len(b))


@wrong("rnn_forward", "mean", "one prediction per record")
def rfq_prediction_averaged_over_records(X, U, W, V, b, c):
    Y_hat, states = _forward_for_bank(X, U, W, V, b, c)
    return Y_hat.mean(axis=0, keepdims=True), states


@wrong("rnn_forward", "states[0] holds values other than zero")
def rfq_starts_from_the_first_input(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.tanh(X[:, 0] @ U.T)
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "b", "every step")
def rfq_bias_never_passed(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, 0 * b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


def _forward_for_bank(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("mse_loss", "sqrt", "(Y_hat - Y) / N")
def mlq_gradient_over_root_n(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), diff / np.sqrt(len(Y))


@wrong("mse_loss", "clip", "(Y_hat - Y) / N")
def mlq_gradient_clipped(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)), np.clip(diff, -1.0, 1.0) / len(Y)


@wrong("mse_loss", "Y**2", "(Y_hat - Y)**2")
def mlq_expanded_square_without_the_target_term(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(Y_hat**2 - 2 * Y_hat * Y) / (2 * len(Y)), diff / len(Y)


@right("mse_loss")
def mlq_right_by_trace(Y_hat, Y):
    diff = Y_hat - Y
    return np.trace(diff.T @ diff) / (2 * len(Y)), diff / len(Y)


@wrong("backward_step", "1 - h_t**2", "times")
def bsq_minus_for_times(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t - h_t**2, x_t, h_prev, W)


@wrong("backward_step", "divided by H", "SUMS", "records")
def bsq_input_share_over_the_units(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t / delta.shape[1], delta.T @ h_prev, delta.sum(0)


@wrong("backward_step", "delta_t @ W", "h_prev")
def bsq_error_times_the_previous_state(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, (delta @ W) * h_prev, delta.T @ x_t, delta.T @ h_prev, delta.sum(0)


@wrong("bptt", "states[T]", "dV")
def bpq_readout_from_the_window_start(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, _, db, dc = _bptt(dY_hat, X, states, W, V, range(T, T - k, -1))
    return dU, dW, dY_hat.T @ states[T - k], db, dc


@wrong("bptt", "dY_hat @ V")
def bpq_error_from_the_transposed_readout(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = dY_hat.T @ V
    dU, dW, db = 0, 0, 0
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "both axes", "axis 0")
def bpq_bias_share_fully_summed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum()
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "zero everywhere", "copy")
def ngq_works_on_a_converted_copy(f, x, eps=1e-6):
    x = x.astype(float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "np.ndindex", "flat")
def ngq_flat_loop_into_a_shaped_buffer(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + eps
        up = f()
        x.flat[i] = old - eps
        down = f()
        x.flat[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "sign", "saved + eps")
def ngq_moves_away_from_zero(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        step = eps * np.sign(old)
        x[i] = old + step
        up = f()
        x[i] = old - step
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def ngq_right_restoring_from_a_backup(f, x, eps=1e-6):
    backup = x.copy()
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] = backup[i] + eps
        up = f()
        x[i] = backup[i] - eps
        down = f()
        x[:] = backup
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("clip_gradients", "own norm", "every array")
def cgq_scales_only_the_long_arrays(grads, threshold):
    n = _norm(grads)
    s = threshold / n
    return [g * s if np.linalg.norm(g) > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "float32")
def cgq_float32_factor(grads, threshold):
    n = _norm(grads)
    s = np.float32(threshold / n) if n > threshold else 1.0
    return [g * s for g in grads]


@wrong("clip_gradients", "first", "every array")
def cgq_norm_without_the_first_array(grads, threshold):
    n = np.sqrt(sum(np.sum(g**2) for g in grads[1:]))
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@right("clip_gradients")
def cgq_right_by_clip_of_the_norm(grads, threshold):
    n = np.linalg.norm(np.concatenate([g.flatten() for g in grads]))
    return [g * (np.clip(n, 0.0, threshold) / n) if n > 0 else g.copy() for g in grads]


@wrong("train_rnn", "all five", "clip")
def trq_clips_the_matrices_only(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        grads = my.clip_gradients(grads[:3], threshold) + grads[3:]
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "whole X", "X[:, :k]")
def trq_first_k_inputs(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X[:, :k], Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "order", "[U, W, V, b, c]")
def trq_returns_w_first(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [W, U, V, b, c]


@wrong("gru_step", "r", "reset gate")
def gsq_update_gate_in_the_candidate(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + z * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "U[:H]", "order")
def gsq_input_blocks_of_r_and_z_swapped(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    s = h_prev @ W.T
    r = sigmoid(x_t @ U[H:2 * H].T + b[:H] + s[:, :H])
    z = sigmoid(x_t @ U[:H].T + b[H:2 * H] + s[:, H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "tanh", "inside")
def gsq_tanh_closed_early(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:]) + r * (s[:, 2 * H:] + b_n)
    return (1 - z) * n + z * h_prev


# --- set "s6-end": written after the fourth round of changes, measured once, nothing changed after

SET = "s6-end"


@wrong("make_windows", "transpose")
def mwe_targets_transposed(series, T):
    return np.stack([series[i:i + T] for i in range(len(series) - T)]), series[T:].T


@wrong("make_windows", "swapped", "series[i : i + T]")
def mwe_windows_of_the_transposed_series(series, T):
    s = series.T
    return np.stack([s[:, i:i + T] for i in range(len(series) - T)]), series[T:]


@wrong("make_windows", "float16", "float64")
def mwe_half_precision_windows(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)]).astype(np.float16)
    return X, series[T:]


@right("make_windows")
def mwe_right_by_the_window_view(series, T):
    view = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)[:-1]
    return view.transpose(0, 2, 1).copy(), series[T:].copy()


@wrong("forward_step", "h_prev is subtracted", "skip")
def fse_minus_the_previous_state(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b) - h_prev


@wrong("forward_step", "transpose", "rows must be records")
def fse_columns_with_a_column_bias(x_t, h_prev, U, W, b):
    return np.tanh(U @ x_t.T + W @ h_prev.T + b[:, None])


@wrong("forward_step", "mean", "b as it is")
def fse_mean_of_the_bias(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + np.mean(b))


@right("forward_step")
def fse_right_with_np_add(x_t, h_prev, U, W, b):
    return np.tanh(np.add(np.add(np.matmul(x_t, U.T), np.matmul(h_prev, W.T)), b))


@wrong("rnn_forward", "sign", "+ c")
def rfe_output_bias_subtracted(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T - c, np.stack(states)


@wrong("rnn_forward", "X[:, t]", "time-major")
def rfe_x_made_time_major_then_indexed_by_records(X, U, W, V, b, c):
    N, T, _ = X.shape
    X = X.transpose(1, 0, 2)
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "U", "forward_step(x_t, h_prev, U, W, b)")
def rfe_passes_u_transposed(X, U, W, V, b, c):
    N, T, _ = X.shape
    h, states = np.zeros((N, W.shape[0])), [np.zeros((N, W.shape[0]))]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U.T, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def rfe_right_time_major_copy(X, U, W, V, b, c):
    Xt = X.transpose(1, 0, 2)
    h = np.zeros((X.shape[0], W.shape[0]))
    states = [h]
    for x in Xt:
        h = np.tanh(x @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("mse_loss", "the 1/N is missing")
def mle_loss_times_n(Y_hat, Y):
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * len(Y)) * len(Y), diff / len(Y)


@wrong("mse_loss", "square of the mean", "sum of the squares")
def mle_square_of_the_mean_error(Y_hat, Y):
    diff = Y_hat - Y
    return (np.sum(diff) / len(Y)) ** 2 / 2, diff / len(Y)


@wrong("mse_loss", "mean", "own target")
def mle_against_the_column_means(Y_hat, Y):
    diff = Y_hat - Y.mean(axis=0)
    return np.sum(diff**2) / (2 * len(Y)), diff / len(Y)


@right("mse_loss")
def mle_right_by_squares_of_rows(Y_hat, Y):
    rows = [np.dot(d, d) for d in (Y_hat - Y)]
    return sum(rows) / (2 * len(rows)), (Y_hat - Y) / len(rows)


@wrong("backward_step", "1/N", "dh_t")
def bse_delta_divided_by_n(dh_t, h_t, h_prev, x_t, W):
    return _shares(dh_t * (1 - h_t**2) / len(dh_t), x_t, h_prev, W)


@wrong("backward_step", "delta_t @ W", "W.T")
def bse_both_ways_through_w(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W + delta @ W.T, delta.T @ x_t, delta.T @ h_prev, delta.sum(0)


@wrong("backward_step", "outer", "delta_t.T @ h_prev")
def bse_outer_of_sum_and_mean(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return (delta, delta @ W, delta.T @ x_t, np.outer(delta.sum(0), h_prev.mean(0)),
            delta.sum(0))


@right("backward_step")
def bse_right_by_dot(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return (delta, delta.dot(W), np.dot(x_t.T, delta).T, np.dot(h_prev.T, delta).T,
            delta.sum(axis=0))


@wrong("bptt", "every step", "once, at h_T")
def bpe_error_injected_at_every_step(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W + dY_hat @ V
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "delta_t.T @ X", "transpose")
def bpe_input_share_transposed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), 0, 0
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = dU + X[:, t - 1].T @ delta, dW + delta.T @ states[t - 1], db + delta.sum(0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dc", "once")
def bpe_output_bias_times_k(dY_hat, X, states, W, V, k):
    dU, dW, dV, db, dc = _bptt(dY_hat, X, states, W, V, range(X.shape[1], X.shape[1] - k, -1))
    return dU, dW, dV, db, dc * k


@wrong("numerical_gradient", "float32")
def nge_values_rounded_to_float32(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = np.float32(f())
        x[i] = old - eps
        down = np.float32(f())
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


@wrong("numerical_gradient", "left changed", "copy")
def nge_backup_is_an_alias(f, x, eps=1e-6):
    backup = x
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        g[i] = (up - down) / (2 * eps)
    x[...] = backup
    return g


@wrong("numerical_gradient", "itemset", "x[i] = ")
def nge_itemset_of_old_numpy(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for j in range(x.size):
        old = x.item(j)
        x.itemset(j, old + eps)
        up = f()
        x.itemset(j, old - eps)
        down = f()
        x.itemset(j, old)
        g.flat[j] = (up - down) / (2 * eps)
    return g


@right("numerical_gradient")
def nge_right_on_a_flat_view(f, x, eps=1e-6):
    flat = x.reshape(-1)
    g = np.zeros(flat.size)
    for j, old in enumerate(flat.copy()):
        flat[j] = old + eps
        up = f()
        flat[j] = old - eps
        down = f()
        flat[j] = old
        g[j] = (up - down) / (2 * eps)
    return g.reshape(x.shape)


@wrong("clip_gradients", "np.minimum", "threshold / norm")
def cge_elementwise_minimum(grads, threshold):
    n = _norm(grads)
    s = min(1.0, threshold / n)
    return [np.minimum(g, g * s) for g in grads]


@wrong("clip_gradients", "largest", "global norm")
def cge_largest_own_norm(grads, threshold):
    n = max(np.linalg.norm(g) for g in grads)
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "sum of ALL squares")
def cge_square_of_the_total(grads, threshold):
    n = np.sqrt(sum(np.sum(g) for g in grads) ** 2)
    return [g * (threshold / n) if n > threshold else g.copy() for g in grads]


@right("clip_gradients")
def cge_right_by_subtracting_the_excess(grads, threshold):
    n = _norm(grads)
    return [g - (n - threshold) * g / n if n > threshold else g.copy() for g in grads]


@wrong("train_rnn", "dc", "own gradient")
def tre_output_bias_with_db(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dU, dW, dV, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * db
    return [U, W, V, b, c]


@wrong("train_rnn", "one epoch too few")
def tre_breaks_before_the_last_update(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for epoch in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        if epoch == epochs - 1:
            break
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "multiplied by N", "learning_rate")
def tre_rate_times_n(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * len(X) * g
                         for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def tre_right_on_copies_in_place(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (p.copy() for p in params)
    for _ in range(epochs):
        for p, g in zip((U, W, V, b, c), my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k),
                                                            threshold), strict=True):
            p -= learning_rate * g
    return [U, W, V, b, c]


@wrong("gru_step", "sigmoid", "exp(-a)")
def gse_sigmoid_without_the_minus(x_t, h_prev, U, W, b, b_n):
    def gate(v):
        return 1 / (1 + np.exp(v))

    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = gate(a[:, :H] + s[:, :H])
    z = gate(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "ReLU", "tanh")
def gse_relu_candidate(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.maximum(0.0, a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "r * (h_prev @ W_n.T + b_n)", "reset gate")
def gse_reset_on_the_bias_only(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + s[:, 2 * H:] + r * b_n)
    return (1 - z) * n + z * h_prev


# --- set "s7-before": written in session 7 before any checker change, measured once (the "before")
# Each wrong answer carries, besides the fragments of a message that names its slip, fragments
# that start with "@": the part (output, step, window, update) that a message locating the slip
# must name (see classify).

SET = "s7-before"


@wrong("make_windows", "only the first", "series[i : i + T]", "@X")
def s7b_mw_window_one_short(series, T):
    n = len(series) - T
    return np.stack([series[i:i + T - 1] for i in range(n)]), series[T:]


@wrong("make_windows", "first value of the window", "series[i + T]", "@Y")
def s7b_mw_target_at_the_window_start(series, T):
    n = len(series) - T
    return np.stack([series[i:i + T] for i in range(n)]), np.stack([series[i] for i in range(n)])


@wrong("make_windows", "last window", "repeated", "@window", "@X")
def s7b_mw_last_window_repeated(series, T):
    n = len(series) - T
    X = np.stack([series[min(i, n - 2):min(i, n - 2) + T] for i in range(n)])
    return X, series[T:]


@wrong("make_windows", "scaled", "divided", "@Y")
def s7b_mw_targets_scaled(series, T):
    n = len(series) - T
    return np.stack([series[i:i + T] for i in range(n)]), series[T:] / np.abs(series).max()


@right("make_windows")
def s7b_right_windows_by_take(series, T):
    n = len(series) - T
    idx = np.add.outer(np.arange(n), np.arange(T))
    return np.take(series, idx, axis=0), np.take(series, np.arange(T, T + n), axis=0)


@wrong("forward_step", "outside the tanh", "inside", "@state's part", "@h_prev @ W.T")
def s7b_fs_state_outside_the_tanh(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + b) + h_prev @ W.T


@wrong("forward_step", "twice", "2 b", "@bias b")
def s7b_fs_bias_twice(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + b + h_prev @ W.T + b)


@wrong("forward_step", "squared", "@input's part", "@x_t @ U.T")
def s7b_fs_input_squared(x_t, h_prev, U, W, b):
    return np.tanh((x_t ** 2) @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "sigmoid", "@tanh")
def s7b_fs_sigmoid(x_t, h_prev, U, W, b):
    return sigmoid(x_t @ U.T + h_prev @ W.T + b)


@right("forward_step")
def s7b_right_step_by_einsum(x_t, h_prev, U, W, b):
    return np.tanh(np.einsum("hd,nd->nh", U, x_t) + np.einsum("nk,hk->nh", h_prev, W) + b)


@wrong("rnn_forward", "mean", "h_T", "@Y_hat")
def s7b_rf_readout_from_the_mean_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    states = np.stack(states)
    return states[1:].mean(axis=0) @ V.T + c, states


@wrong("rnn_forward", "h_prev", "zeros", "@states[2]")
def s7b_rf_state_reset_every_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    h0 = np.zeros((N, W.shape[0]))
    states = [h0]
    for t in range(T):
        states.append(my.forward_step(X[:, t], h0, U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward", "X[:, t]", "one step late", "@states[2]")
def s7b_rf_input_lags_one_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, max(t - 1, 0)], states[-1], U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward", "tanh", "no activation", "@Y_hat")
def s7b_rf_readout_through_tanh(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    return np.tanh(states[-1] @ V.T + c), np.stack(states)


@wrong("mse_loss", "abs", "squares", "@L")
def s7b_ml_absolute_errors(Y_hat, Y):
    return np.sum(np.abs(Y_hat - Y)) / (2 * len(Y)), (Y_hat - Y) / len(Y)


@wrong("mse_loss", "2 N", "1/2", "@dY_hat")
def s7b_ml_gradient_halved(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2) / (2 * len(Y)), e / (2 * len(Y))


@wrong("mse_loss", "O", "N", "@L")
def s7b_ml_divided_by_the_outputs(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2) / (2 * Y.shape[1]), e / len(Y)


@wrong("mse_loss", "one number", "sum over the outputs", "@L")
def s7b_ml_loss_per_output(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2, axis=0) / (2 * len(Y)), e / len(Y)


@right("mse_loss")
def s7b_right_loss_by_vdot(Y_hat, Y):
    e = (Y_hat - Y).ravel()
    return float(np.vdot(e, e)) / (2 * Y.shape[0]), (Y_hat - Y) / Y.shape[0]


@wrong("backward_step", "1 - h_t**2", "sign", "@delta_t")
def s7b_bs_derivative_with_plus(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 + h_t ** 2)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "h_prev", "@dW_t")
def s7b_bs_recurrent_share_from_h_t(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ W, d.T @ x_t, d.T @ h_t, d.sum(axis=0)


@wrong("backward_step", "delta_t @ W", "@dh_prev")
def s7b_bs_dh_prev_from_dh_t(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, dh_t @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "axis=0", "over the records", "@db_t")
def s7b_bs_bias_share_over_units(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=1)


@right("backward_step")
def s7b_right_step_by_outer_sums(dh_t, h_t, h_prev, x_t, W):
    d = dh_t - dh_t * h_t * h_t
    dU = sum(np.outer(d[n], x_t[n]) for n in range(len(d)))
    dW = sum(np.outer(d[n], h_prev[n]) for n in range(len(d)))
    return d, np.einsum("nh,hk->nk", d, W), dU, dW, d.sum(axis=0)


def _s7_bptt(dY_hat, X, states, W, V, k, *, dv_state=-1, pass_raw=False, db_assign=False,
             shift=0):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        h_t, h_prev, x = states[t - shift], states[t - 1 - shift], X[:, t - 1 - shift]
        delta = g * (1 - h_t ** 2)
        dU += delta.T @ x
        dW += delta.T @ h_prev
        db = delta.sum(axis=0) if db_assign else db + delta.sum(axis=0)
        g = (g if pass_raw else delta) @ W
    return dU, dW, dY_hat.T @ states[dv_state], db, dY_hat.sum(axis=0)


@wrong("bptt", "h_T", "states[-1]", "@dV")
def s7b_bp_readout_from_the_first_state(dY_hat, X, states, W, V, k):
    return _s7_bptt(dY_hat, X, states, W, V, k, dv_state=1)


@wrong("bptt", "states[t]", "index", "@first step back", "@k = 1")
def s7b_bp_states_read_one_early(dY_hat, X, states, W, V, k):
    return _s7_bptt(dY_hat, X, states, W, V, k, shift=1)


@wrong("bptt", "delta_t @ W", "tanh'", "@passed back", "@dh_prev")
def s7b_bp_error_passed_before_the_derivative(dY_hat, X, states, W, V, k):
    return _s7_bptt(dY_hat, X, states, W, V, k, pass_raw=True)


@wrong("bptt", "+=", "db", "@db")
def s7b_bp_bias_share_assigned(dY_hat, X, states, W, V, k):
    return _s7_bptt(dY_hat, X, states, W, V, k, db_assign=True)


@right("bptt")
def s7b_right_bptt_with_a_list(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    deltas, g = {}, dY_hat @ V
    for t in range(T, T - k, -1):
        deltas[t] = g * (1 - states[t] ** 2)
        g = deltas[t] @ W
    dU = sum(deltas[t].T @ X[:, t - 1] for t in deltas)
    dW = sum(deltas[t].T @ states[t - 1] for t in deltas)
    db = sum(deltas[t].sum(axis=0) for t in deltas)
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "restore", "@x")
def s7b_ng_restores_to_the_lower_point(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        grad[i] = (up - down) / (2 * eps)
        x[i] = old - eps if i == (0,) * x.ndim else old
    return grad


@wrong("numerical_gradient", "f(x + eps) - f(x - eps)", "sign", "@difference")
def s7b_ng_difference_upside_down(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (down - up) / (2 * eps)
    return grad


@wrong("numerical_gradient", "x.size", "range(len(x))", "@entries")
def s7b_ng_loop_over_len(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x.flat[i]
        x.flat[i] = old + eps
        up = f()
        x.flat[i] = old - eps
        down = f()
        x.flat[i] = old
        grad.flat[i] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "x - eps", "moved down", "@x - eps")
def s7b_ng_steps_back_to_x(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] += eps
        up = f()
        x[i] -= eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


@right("numerical_gradient")
def s7b_right_gradient_by_nditer(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
        it.iternext()
    return grad


@wrong("clip_gradients", "mean", "sum of squares", "@norm")
def s7b_cg_root_mean_square(grads, threshold):
    squares = np.concatenate([g.ravel() ** 2 for g in grads])
    norm = np.sqrt(squares.mean())
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@wrong("clip_gradients", "norm > threshold", "condition", "@condition")
def s7b_cg_test_inverted(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return [g * threshold / norm for g in grads] if norm < threshold else [g.copy() for g in grads]


@wrong("clip_gradients", "threshold / norm", "@factor")
def s7b_cg_scaled_by_the_threshold(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    return [g * threshold for g in grads] if norm > threshold else [g.copy() for g in grads]


@wrong("clip_gradients", "max", "largest", "@norm")
def s7b_cg_largest_entry_as_norm(grads, threshold):
    norm = max(np.abs(g).max() for g in grads)
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@right("clip_gradients")
def s7b_right_clip_by_vdot(grads, threshold):
    norm = np.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    scale = min(1.0, threshold / norm)
    return [scale * g for g in grads]


@wrong("train_rnn", "clipped", "unclipped", "@update")
def s7b_tr_updates_with_the_unclipped_gradients(params, X, Y, learning_rate, epochs, threshold,
                                                 k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = _epoch(U, W, V, b, c, X, Y, k)
        my.clip_gradients(grads, threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "one epoch too few", "range(epochs)", "@epoch")
def s7b_tr_one_epoch_short(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs - 1):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "p - lr g", "sign", "@update")
def s7b_tr_gradient_ascent(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p + learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "k", "truncat", "@k")
def s7b_tr_full_backprop(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, X.shape[1]), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("gru_step", "z", "H:2H", "@z")
def s7b_gs_update_gate_from_the_reset_rows(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, :H] + s[:, :H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "reset", "r *", "@candidate n", "@r")
def s7b_gs_candidate_without_the_reset(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + s[:, 2 * H:] + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "1 - z", "swapped", "@z")
def s7b_gs_mix_the_other_way(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return z * n + (1 - z) * h_prev


@wrong("gru_step", "b_n", "inside", "@candidate n")
def s7b_gs_b_n_after_the_tanh(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * s[:, 2 * H:]) + b_n
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s7b_right_gru_by_split(x_t, h_prev, U, W, b, b_n):
    xr, xz, xn = np.split(x_t @ U.T + b, 3, axis=1)
    hr, hz, hn = np.split(h_prev @ W.T, 3, axis=1)
    r, z = sigmoid(xr + hr), sigmoid(xz + hz)
    n = np.tanh(xn + r * (hn + b_n))
    return n + z * (h_prev - n)


def _s7_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, *, one_r=False, no_dz_sigmoid=False,
                 typo_tanh=False, db_n_mean=False):
    H = h_prev.shape[1]
    a, rec = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + rec[:, :H])
    z = sigmoid(a[:, H:2 * H] + rec[:, H:2 * H])
    m = rec[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    dn = dh_t * (1 - z)
    da_n = dn * ((1 - n) ** 2 if typo_tanh else 1 - n ** 2)
    dz = dh_t * (h_prev - n)
    da_z = dz if no_dz_sigmoid else dz * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * (1 - r) if one_r else da_n * m * r * (1 - r)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)
    d_in = np.concatenate([da_r, da_z, da_n], axis=1)
    db_n = dm.mean(axis=0) if db_n_mean else dm.sum(axis=0)
    return dh_t * z + d_rec @ W, d_in.T @ x_t, d_rec.T @ h_prev, d_in.sum(axis=0), db_n


@wrong("gru_step_backward", "r * (1 - r)", "@reset gate", "@da_r")
def s7b_gb_reset_derivative_missing_r(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, one_r=True)


@wrong("gru_step_backward", "z * (1 - z)", "sigmoid", "@update gate", "@da_z")
def s7b_gb_update_gate_without_its_derivative(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, no_dz_sigmoid=True)


@wrong("gru_step_backward", "1 - n**2", "@candidate", "@da_n")
def s7b_gb_tanh_derivative_typo(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, typo_tanh=True)


@wrong("gru_step_backward", "mean", "summed", "@db_n")
def s7b_gb_db_n_averaged(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, db_n_mean=True)


@wrong("sequence_backward_step", "dy_hat_t @ V", "own output", "@g_t")
def s7b_sb_own_output_forgotten(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next.copy()
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "delta_t @ W", "@dh_prev")
def s7b_sb_dh_prev_from_g(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, g @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "(1 - h_t**2)", "g_t", "@delta_t")
def s7b_sb_derivative_on_dh_next_only(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = dh_next * (1 - h_t ** 2) + dy_hat_t @ V
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "dy_hat_t^T h_t", "dy_hat_t.T @ h_t", "@dV_t")
def s7b_sb_dV_from_g(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ (h_t * (1 - h_t ** 2))


@right("sequence_backward_step")
def s7b_right_sequence_by_einsum(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + np.einsum("no,oh->nh", dy_hat_t, V)
    d = g * (1 - h_t) * (1 + h_t)
    return g, d, np.einsum("nk,kh->nh", d, W), np.einsum("no,nh->oh", dy_hat_t, h_t)


@wrong("temperature_probabilities", "/ T", "divided by", "@temperature")
def s7b_tp_multiplied_by_t(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) * temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "axis=1", "each row", "@rows")
def s7b_tp_normalised_over_the_batch(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=0, keepdims=True)


@wrong("temperature_probabilities", "max", "overflow", "@largest score")
def s7b_tp_max_not_divided(y_hat, temperature):
    e = np.exp(y_hat / temperature - y_hat.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "log", "exp", "@softmax")
def s7b_tp_scores_normalised_without_exp(y_hat, temperature):
    s = (y_hat - y_hat.min(axis=1, keepdims=True)) / temperature
    return s / s.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s7b_right_temperature_by_power(y_hat, temperature):
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True)) ** (1.0 / temperature)
    return e / np.sum(e, axis=-1, keepdims=True)

# --- set "s7-after": written in session 7 after the located diagnosis, measured once, nothing
# changed after it

SET = "s7-after"


@wrong("make_windows", "series[i : i + T]", "start", "@window 1", "@X[1]")
def s7a_mw_windows_step_by_two_after_the_first(series, T):
    n = len(series) - T
    starts = [0] + [min(2 * i, n - 1) for i in range(1, n)]
    return np.stack([series[s:s + T] for s in starts]), series[T:]


@wrong("make_windows", "series[i + T]", "@Y", "@target")
def s7a_mw_target_is_the_mean_of_the_window(series, T):
    n = len(series) - T
    X = np.stack([series[i:i + T] for i in range(n)])
    return X, X.mean(axis=1)


@wrong("make_windows", "float32", "float64")
def s7a_mw_windows_in_float32(series, T):
    n = len(series) - T
    X = np.zeros((n, T, series.shape[1]), dtype=np.float32)
    for i in range(n):
        X[i] = series[i:i + T]
    return X, series[T:].copy()


@right("make_windows")
def s7a_right_windows_by_concatenate(series, T):
    n = len(series) - T
    X = np.concatenate([series[None, i:i + T] for i in range(n)], axis=0)
    return X, np.concatenate([series[None, i + T] for i in range(n)], axis=0)


@wrong("forward_step", "product", "multiplied", "@state's part", "@h_prev @ W.T")
def s7a_fs_state_part_times_input_part(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + (h_prev @ W.T) * (x_t @ U.T) + b)


@wrong("forward_step", "b", "minus", "sign", "@bias b")
def s7a_fs_bias_subtracted(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T - b)


@wrong("forward_step", "clip", "tanh", "@tanh")
def s7a_fs_hard_tanh(x_t, h_prev, U, W, b):
    return np.clip(x_t @ U.T + h_prev @ W.T + b, -1.0, 1.0)


@right("forward_step")
def s7a_right_step_by_stacked_matrix(x_t, h_prev, U, W, b):
    return np.tanh(np.hstack([x_t, h_prev]) @ np.hstack([U, W]).T + b)


@wrong("rnn_forward", "states[t]", "previous", "h_(t-2)", "@states[3]")
def s7a_rf_state_from_two_steps_back(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        prev = states[-2] if t >= 2 else states[-1]
        states.append(my.forward_step(X[:, t], prev, U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[T]", "V.T", "@Y_hat", "@read-out")
def s7a_rf_readout_adds_the_input(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    return states[-1] @ V.T + c + X[:, -1] @ np.ones((X.shape[2], V.shape[0])), np.stack(states)


@wrong("rnn_forward", "last step", "T - 1", "@states[", "@step")
def s7a_rf_last_step_without_bias(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b if t < T - 1 else 0 * b))
    return states[-1] @ V.T + c, np.stack(states)


@right("rnn_forward")
def s7a_right_forward_into_a_buffer(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for t in range(1, T + 1):
        states[t] = np.tanh(X[:, t - 1] @ U.T + states[t - 1] @ W.T + b)
    return states[T] @ V.T + c, states


@wrong("mse_loss", "Y_hat - Y", "sign", "@dY_hat")
def s7a_ml_gradient_against_the_prediction(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2) / (2 * len(Y)), (Y - Y_hat) / len(Y)


@wrong("mse_loss", "square", "**2", "@L")
def s7a_ml_cubes(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(np.abs(e) ** 3) / (2 * len(Y)), e / len(Y)


@wrong("mse_loss", "Y_hat - Y", "@L", "@errors")
def s7a_ml_errors_against_the_first_target(Y_hat, Y):
    e = Y_hat - Y[0]
    return np.sum(e ** 2) / (2 * len(Y)), e / len(Y)


@right("mse_loss")
def s7a_right_loss_by_loops(Y_hat, Y):
    total = 0.0
    for row_hat, row in zip(Y_hat, Y, strict=True):
        for a, b in zip(row_hat, row, strict=True):
            total += (a - b) ** 2
    return total / (2 * len(Y)), (Y_hat - Y) / len(Y)


@wrong("backward_step", "dh_t", "1 - h_t**2", "@delta_t")
def s7a_bs_derivative_of_h_prev_squared(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t * h_prev)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "x_t", "dU_t", "@dU_t")
def s7a_bs_input_share_of_the_squared_input(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ W, d.T @ (x_t ** 2), d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "delta_t @ W", "dh_prev", "@dh_prev")
def s7a_bs_dh_prev_with_the_identity_added(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ (W + np.eye(W.shape[0])), d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@right("backward_step")
def s7a_right_step_by_einsum(dh_t, h_t, h_prev, x_t, W):
    d = np.multiply(dh_t, 1 - np.square(h_t))
    return (d, np.einsum("nh,hk->nk", d, W), np.einsum("nh,nd->hd", d, x_t),
            np.einsum("nh,nk->hk", d, h_prev), np.einsum("nh->h", d))


def _s7a_bptt(dY_hat, X, states, W, V, k, *, dW_extra=False, tanh_prime_prev=False,
              dv_scale=1.0):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        h = states[t - 1] if (tanh_prime_prev and t < T) else states[t]
        delta = g * (1 - h ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1] + (delta.T @ states[t] if dW_extra and t < T else 0)
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dv_scale * dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dW", "states[t - 1]", "@dW")
def s7a_bp_dW_adds_h_t_in_older_steps(dY_hat, X, states, W, V, k):
    return _s7a_bptt(dY_hat, X, states, W, V, k, dW_extra=True)


@wrong("bptt", "states[t]", "tanh'", "@step t = T - 1", "@delta_t")
def s7a_bp_older_derivative_at_h_prev(dY_hat, X, states, W, V, k):
    return _s7a_bptt(dY_hat, X, states, W, V, k, tanh_prime_prev=True)


@wrong("bptt", "dV", "divided", "@dV")
def s7a_bp_dv_halved(dY_hat, X, states, W, V, k):
    return _s7a_bptt(dY_hat, X, states, W, V, k, dv_scale=0.5)


@right("bptt")
def s7a_right_bptt_counting_down_with_while(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = 0, 0, 0
    g, t = dY_hat @ V, T
    while t > T - k:
        d = g * (1 - states[t] ** 2)
        dU, dW, db = dU + d.T @ X[:, t - 1], dW + d.T @ states[t - 1], db + d.sum(axis=0)
        g, t = d @ W, t - 1
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "2 eps", "eps", "@quotient")
def s7a_ng_divides_by_eps_squared(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps + eps ** 2)
    return grad


@wrong("numerical_gradient", "grad[i]", "stored", "@entries", "@grad")
def s7a_ng_stores_into_the_first_entry_too(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    first = (0,) * x.ndim
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
        if i != first:
            grad[first] += 0.0 * grad[i] + 1e-3
    return grad


@wrong("numerical_gradient", "x.size", "every entry", "@entries", "@never saw")
def s7a_ng_skips_the_last_entry(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for j in range(x.size - 1):
        old = x.flat[j]
        x.flat[j] = old + eps
        up = f()
        x.flat[j] = old - eps
        down = f()
        x.flat[j] = old
        grad.flat[j] = (up - down) / (2 * eps)
    return grad


@right("numerical_gradient")
def s7a_right_gradient_on_a_flat_view(f, x, eps=1e-6):
    flat = x.reshape(-1)
    grad = np.empty(x.size)
    for j in range(x.size):
        saved = flat[j]
        flat[j] = saved + eps
        up = f()
        flat[j] = saved - eps
        down = f()
        flat[j] = saved
        grad[j] = (up - down) / (2 * eps)
    return grad.reshape(x.shape)


@wrong("clip_gradients", "norm", "squares", "@norm", "@factor")
def s7a_cg_norm_of_the_sums(grads, threshold):
    norm = np.sqrt(sum(np.sum(g) ** 2 for g in grads))
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@wrong("clip_gradients", "sign", "np.sign", "@array", "@multiple")
def s7a_cg_keeps_the_signs_only_when_clipping(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if norm <= threshold:
        return [g.copy() for g in grads]
    return [np.sign(g) * np.minimum(np.abs(g), threshold / norm * np.abs(g).max()) for g in grads]


@wrong("clip_gradients", "first", "norm", "@factor", "@norm")
def s7a_cg_norm_without_the_biases(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads if g.ndim == 2) + 0.5 * sum(
        np.sum(g ** 2) for g in grads if g.ndim == 1))
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@right("clip_gradients")
def s7a_right_clip_by_concatenation(grads, threshold):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads]))
    return [g * (threshold / norm) if norm > threshold else g * 1.0 for g in grads]


@wrong("train_rnn", "epoch", "learning_rate", "@update 2", "@update")
def s7a_tr_rate_doubles_after_the_first(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for e in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        lr = learning_rate * (2 if e else 1)
        U, W, V, b, c = (p - lr * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "order", "dU, dW, dV, db, dc", "@update of", "@U")
def s7a_tr_updates_u_with_dw(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        dU, dW, dV, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U = U - learning_rate * (dU + 0.1 * dW[:, :U.shape[1]])
        W, V, b, c = W - learning_rate * dW, V - learning_rate * dV, b - learning_rate * db, \
            c - learning_rate * dc
    return [U, W, V, b, c]


@wrong("train_rnn", "threshold", "clip", "@clipping")
def s7a_tr_clips_at_half_the_threshold(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold / 2)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def s7a_right_training_with_a_dict(params, X, Y, learning_rate, epochs, threshold, k):
    p = dict(zip("UWVbc", params, strict=True))
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(p["U"], p["W"], p["V"], p["b"], p["c"], X, Y, k),
                                  threshold)
        p = {name: p[name] - learning_rate * g for name, g in zip("UWVbc", grads, strict=True)}
    return [p[name] for name in "UWVbc"]


@wrong("gru_step", "W_n", "h_prev", "@candidate n", "@reset")
def s7a_gs_candidate_reads_h_prev_twice(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n) + h_prev)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "sigmoid", "r", "@r", "@reset")
def s7a_gs_reset_gate_through_tanh(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = np.tanh(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "z", "mix", "@z", "@mix")
def s7a_gs_mix_with_half_the_state(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * (h_prev + n) / 2


def _s7a_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, *, dm_from_m=False, dz_plus=False,
                  copy_twice=False):
    H = h_prev.shape[1]
    a, rec = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + rec[:, :H])
    z = sigmoid(a[:, H:2 * H] + rec[:, H:2 * H])
    m = rec[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    dz = dh_t * ((h_prev + n) if dz_plus else (h_prev - n))
    da_z = dz * z * (1 - z)
    dm = da_n * (r * m if dm_from_m else r)
    da_r = da_n * m * r * (1 - r)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)
    d_in = np.concatenate([da_r, da_z, da_n], axis=1)
    dh_prev = dh_t * z * (2 if copy_twice else 1) + d_rec @ W
    return dh_prev, d_in.T @ x_t, d_rec.T @ h_prev, d_in.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "dm = da_n * r", "@dm")
def s7a_gb_dm_times_m(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7a_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dm_from_m=True)


@wrong("gru_step_backward", "h_prev - n", "@da_z", "@update gate")
def s7a_gb_dz_with_a_plus(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7a_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dz_plus=True)


@wrong("gru_step_backward", "dh_t * z", "copy", "@dh_prev")
def s7a_gb_copy_counted_twice(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7a_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, copy_twice=True)


@wrong("sequence_backward_step", "dh_next", "g_t", "@g_t")
def s7a_sb_dh_next_counted_twice(dh_next, dy_hat_t, h_t, W, V):
    g = 2 * dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "delta_t @ W", "W.T", "@dh_prev")
def s7a_sb_dh_prev_through_w_transposed(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W.T, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "1 - h_t**2", "@delta_t")
def s7a_sb_derivative_with_abs(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - np.abs(h_t))
    return g, d, d @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s7a_right_sequence_by_loops_over_records(dh_next, dy_hat_t, h_t, W, V):
    g = np.stack([dh_next[i] + V.T @ dy_hat_t[i] for i in range(len(h_t))])
    d = g * (1 - h_t ** 2)
    dh_prev = np.stack([W.T @ d[i] for i in range(len(h_t))])
    return g, d, dh_prev, sum(np.outer(dy_hat_t[i], h_t[i]) for i in range(len(h_t)))


@wrong("temperature_probabilities", "T", "divide", "@softmax", "@exp")
def s7a_tp_temperature_added(y_hat, temperature):
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True) + temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "each row", "axis=1", "@rows", "@normalisation")
def s7a_tp_sum_of_the_first_row(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e[0].sum()


@wrong("temperature_probabilities", "max", "overflow", "@largest")
def s7a_tp_minimum_subtracted(y_hat, temperature):
    e = np.exp((y_hat - y_hat.min(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s7a_right_temperature_by_loops(y_hat, temperature):
    p = np.empty_like(y_hat)
    for i, row in enumerate(y_hat):
        e = np.exp((row - row.max()) / temperature)
        p[i] = e / e.sum()
    return p


# --- set "s7-final": written in session 7 after s7-after, as a second held-out set, measured
# once, nothing changed after it

SET = "s7-final"


@wrong("make_windows", "series[i : i + T]", "np.roll", "wrap", "@window 1", "@X")
def s7f_mw_windows_rolled_the_wrong_way(series, T):
    n = len(series) - T
    X = np.stack([np.roll(series, i, axis=0)[:T] for i in range(n)])
    return X, series[T:]


@wrong("make_windows", "series[i + T]", "wraps", "last target", "@Y", "@target")
def s7f_mw_targets_from_the_next_window_rolled(series, T):
    n = len(series) - T
    X = np.stack([series[i:i + T] for i in range(n)])
    return X, np.roll(X[:, -1], -1, axis=0)


@wrong("make_windows", "channels", "reversed", "::-1", "@window 0", "@X")
def s7f_mw_channels_reversed(series, T):
    n = len(series) - T
    X = np.stack([series[i:i + T, ::-1] for i in range(n)])
    return X, series[T:]


@right("make_windows")
def s7f_right_windows_from_one_longer_view(series, T):
    n = len(series) - T
    both = np.stack([series[i:i + T + 1] for i in range(n)])
    return both[:, :T].copy(), both[:, T].copy()


@wrong("forward_step", "x_t @ U.T", "minus", "sign", "@input's part", "@x_t @ U.T")
def s7f_fs_input_part_subtracted(x_t, h_prev, U, W, b):
    return np.tanh(-(x_t @ U.T) + h_prev @ W.T + b)


@wrong("forward_step", "parenthes", "precedence", "tanh", "@tanh")
def s7f_fs_tanh_by_exp_without_parentheses(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return np.exp(2 * a) - 1 / (np.exp(2 * a) + 1)


@wrong("forward_step", "derivative", "1 - tanh", "@tanh")
def s7f_fs_returns_the_derivative(x_t, h_prev, U, W, b):
    return 1 - np.tanh(x_t @ U.T + h_prev @ W.T + b) ** 2


@right("forward_step")
def s7f_right_step_by_np_dot(x_t, h_prev, U, W, b):
    return np.tanh(np.dot(x_t, U.T) + np.dot(h_prev, W.T) + b[None, :])


@wrong("rnn_forward", "X[:, t]", "last input", "@states[1]", "@step")
def s7f_rf_last_input_at_every_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for _ in range(T):
        states.append(my.forward_step(X[:, -1], states[-1], U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward", "h_prev", "added", "residual", "@states[2]")
def s7f_rf_previous_state_added_after_the_step(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b) + states[-1])
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward", "c", "b", "swapped", "@states[1]")
def s7f_rf_step_given_the_output_bias(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, c))
    return states[-1] @ V.T + b, np.stack(states)


@wrong("mse_loss", "Y_hat - Y", "forgot", "@dY_hat")
def s7f_ml_gradient_without_the_target(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2) / (2 * len(Y)), Y_hat / len(Y)


@wrong("mse_loss", "2 (Y_hat - Y)", "1/2", "twice", "@dY_hat")
def s7f_ml_gradient_with_the_two_kept(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2) / (2 * len(Y)), 2 * e / len(Y)


@wrong("mse_loss", "int", "float(", "rounded", "@L")
def s7f_ml_loss_made_an_int(Y_hat, Y):
    e = Y_hat - Y
    return int(np.sum(e ** 2) / (2 * len(Y))), e / len(Y)


@right("mse_loss")
def s7f_right_loss_as_half_the_summed_means(Y_hat, Y):
    e = Y_hat - Y
    return 0.5 * float(np.mean(e ** 2, axis=0).sum()), np.divide(e, Y.shape[0])


@wrong("backward_step", "1 - h_t**2", "(1 - h_t)**2", "@delta_t")
def s7f_bs_derivative_squared_after_the_minus(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t) ** 2
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "in place", "out=", "copy", "@delta_t")
def s7f_bs_dh_prev_written_into_delta(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    dh_prev = np.matmul(d, W, out=d)
    return d, dh_prev, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "db_t", "delta_t.sum", "dh_t", "@db_t")
def s7f_bs_bias_share_from_the_incoming_error(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, dh_t.sum(axis=0)


@right("backward_step")
def s7f_right_step_by_tensordot(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t) * (1 + h_t)
    return (d, np.tensordot(d, W, axes=(1, 0)), np.tensordot(d, x_t, axes=(0, 0)),
            np.tensordot(d, h_prev, axes=(0, 0)), np.add.reduce(d, axis=0))


def _s7f_bptt(dY_hat, X, states, W, V, k, *, top=1.0, square_in_place=False, dW_minus=False):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])
    g = top * dY_hat @ V
    for t in range(T, T - k, -1):
        if square_in_place:
            sq = states[t]
            sq **= 2
            delta = g * (1 - sq)
        else:
            delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        if dW_minus:
            dW -= delta.T @ states[t - 1]
        else:
            dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dY_hat @ V", "twice", "2", "@dh_T", "@first step back", "@k = 1")
def s7f_bp_error_doubled_at_the_top(dY_hat, X, states, W, V, k):
    return _s7f_bptt(dY_hat, X, states, W, V, k, top=2.0)


@wrong("bptt", "in place", "states", "@states")
def s7f_bp_states_squared_in_place(dY_hat, X, states, W, V, k):
    return _s7f_bptt(dY_hat, X, states, W, V, k, square_in_place=True)


@wrong("bptt", "-=", "sign", "dW", "@dW")
def s7f_bp_recurrent_share_subtracted(dY_hat, X, states, W, V, k):
    return _s7f_bptt(dY_hat, X, states, W, V, k, dW_minus=True)


@right("bptt")
def s7f_right_bptt_by_reversed_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    grads = [np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])]
    g = dY_hat @ V
    for t in reversed(range(T - k + 1, T + 1)):
        d = g * (1 - states[t] ** 2)
        for i, share in enumerate((d.T @ X[:, t - 1], d.T @ states[t - 1], d.sum(axis=0))):
            grads[i] = grads[i] + share
        g = d @ W
    return grads[0], grads[1], dY_hat.T @ states[-1], grads[2], dY_hat.sum(axis=0)


@wrong("numerical_gradient", "sign", "stencil", "f(x + 2 eps)", "@difference")
def s7f_ng_five_point_stencil_with_a_sign_slip(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        values = []
        for step in (2, 1, -1, -2):
            x[i] = old + step * eps
            values.append(f())
        x[i] = old
        grad[i] = (values[0] + 8 * values[1] - 8 * values[2] - values[3]) / (12 * eps)
    return grad


@wrong("numerical_gradient", "2 * eps", "2 ** eps", "2 eps", "@quotient", "@difference")
def s7f_ng_power_for_times(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 ** eps)
    return grad


@wrong("numerical_gradient", "grad = x", "alias", "copy", "zeros_like", "@x", "@grad")
def s7f_ng_gradient_written_into_x(f, x, eps=1e-6):
    grad = x
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


@right("numerical_gradient")
def s7f_right_gradient_by_five_point_stencil(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        values = {}
        for step in (2, 1, -1, -2):
            x[i] = old + step * eps
            values[step] = f()
        x[i] = old
        grad[i] = (-values[2] + 8 * values[1] - 8 * values[-1] + values[-2]) / (12 * eps)
    return grad


@wrong("clip_gradients", "norm", "all arrays", "running", "@factor", "@array")
def s7f_cg_running_norm(grads, threshold):
    out, total = [], 0.0
    for g in grads:
        total += np.sum(g ** 2)
        norm = np.sqrt(total)
        out.append(g * threshold / norm if norm > threshold else g.copy())
    return out


@wrong("clip_gradients", "ord=2", "spectral", "Frobenius", "@norm")
def s7f_cg_spectral_norm_of_the_matrices(grads, threshold):
    norm = np.sqrt(sum(np.linalg.norm(g, ord=2) ** 2 for g in grads))
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@wrong("clip_gradients", "g @ g.T", "trace", "sum of squares", "@norm")
def s7f_cg_squares_from_the_gram_matrix(grads, threshold):
    norm = np.sqrt(sum(np.sum(g @ g.T) for g in grads))
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@right("clip_gradients")
def s7f_right_clip_by_the_norm_of_the_norms(grads, threshold):
    norm = np.linalg.norm([np.linalg.norm(g) for g in grads])
    return [g * threshold / norm if norm > threshold else np.array(g, copy=True) for g in grads]


@wrong("train_rnn", "one epoch too few", "before", "order", "@update", "@epoch")
def s7f_tr_update_before_the_gradients(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    grads = [np.zeros_like(p) for p in params]
    for _ in range(epochs):
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
    return [U, W, V, b, c]


@wrong("train_rnn", "learning_rate * g", "divided", "p - lr g", "@update")
def s7f_tr_gradient_divided_by_the_rate(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - g / learning_rate for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "return", "indent", "one epoch", "@epochs = 2", "@epoch")
def s7f_tr_returns_inside_the_loop(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
        return [U, W, V, b, c]
    return [U, W, V, b, c]


@right("train_rnn")
def s7f_right_training_by_index(params, X, Y, learning_rate, epochs, threshold, k):
    p = [np.array(q, dtype=np.float64, copy=True) for q in params]
    epoch = 0
    while epoch < epochs:
        grads = my.clip_gradients(_epoch(*p, X, Y, k), threshold)
        p = [p[i] - learning_rate * grads[i] for i in range(5)]
        epoch += 1
    return p


@wrong("gru_step", "H", "h_prev.shape[1]", "x_t.shape[1]", "@r", "@z")
def s7f_gs_size_from_the_input(x_t, h_prev, U, W, b, b_n):
    H = x_t.shape[1]
    a, s = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "sigmoid", "parenthes", "precedence", "1 / (1 + exp", "@r", "@z")
def s7f_gs_sigmoid_without_parentheses(x_t, h_prev, U, W, b, b_n):
    def sig(v):
        return 1 / 1 + np.exp(-v)
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sig(a[:, :H] + s[:, :H])
    z = sig(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "z", "W_z", "H:2H", "2H:", "@z")
def s7f_gs_update_gate_from_the_candidate_rows_of_w(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, 2 * H:])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s7f_right_gru_by_named_matrices(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    U_r, U_z, U_n = U[:H], U[H:2 * H], U[2 * H:]
    W_r, W_z, W_n = W[:H], W[H:2 * H], W[2 * H:]
    b_r, b_z, b_in = b[:H], b[H:2 * H], b[2 * H:]
    r = 1 / (1 + np.exp(-(x_t @ U_r.T + h_prev @ W_r.T + b_r)))
    z = 1 / (1 + np.exp(-(x_t @ U_z.T + h_prev @ W_z.T + b_z)))
    n = np.tanh(x_t @ U_n.T + b_in + r * (h_prev @ W_n.T + b_n))
    return z * h_prev + (1 - z) * n


def _s7f_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, *, reset_on_input=False, no_copy=False,
                  dz_flipped=False):
    H = h_prev.shape[1]
    a, rec = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + rec[:, :H])
    z = sigmoid(a[:, H:2 * H] + rec[:, H:2 * H])
    m = rec[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    dz = dh_t * ((n - h_prev) if dz_flipped else (h_prev - n))
    da_z = dz * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)
    d_in = np.concatenate([da_r, da_z, dm if reset_on_input else da_n], axis=1)
    dh_prev = (0 if no_copy else dh_t * z) + d_rec @ W
    return dh_prev, d_in.T @ x_t, d_rec.T @ h_prev, d_in.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "da_n", "dU", "reset", "@dU", "@candidate")
def s7f_gb_input_candidate_block_reset(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7f_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, reset_on_input=True)


@wrong("gru_step_backward", "dh_t * z", "direct", "@dh_prev")
def s7f_gb_direct_path_forgotten(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7f_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, no_copy=True)


@wrong("gru_step_backward", "h_prev - n", "sign", "@da_z", "@update gate")
def s7f_gb_update_derivative_of_the_wrong_sign(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7f_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dz_flipped=True)


@wrong("sequence_backward_step", "dV_t", "transpose", "dy_hat_t.T @ h_t", "@dV_t")
def s7f_sb_dV_transposed(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, h_t.T @ dy_hat_t


@wrong("sequence_backward_step", "in place", "copy", "g_t", "@g_t")
def s7f_sb_derivative_applied_to_g_in_place(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    g *= 1 - h_t ** 2
    d = g
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "delta_t @ W", "tanh'", "twice", "@dh_prev")
def s7f_sb_derivative_applied_again_when_passing_back(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, (d @ W) * (1 - h_t ** 2), dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s7f_right_sequence_by_matmul(dh_next, dy_hat_t, h_t, W, V):
    g = np.add(dh_next, np.matmul(dy_hat_t, V))
    d = np.multiply(g, 1 - np.square(h_t))
    return g, d, np.matmul(d, W), np.matmul(dy_hat_t.T, h_t)


@wrong("temperature_probabilities", "sum", "renormalis", "normalis", "@normalisation", "@rows")
def s7f_tp_softmax_raised_to_one_over_t(y_hat, temperature):
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)) ** (1 / temperature)


@wrong("temperature_probabilities", "/ T", "before the exp", "cancels", "@temperature")
def s7f_tp_divided_after_the_exp(y_hat, temperature):
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True)) / temperature
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "keepdims", "axis=1", "@rows", "@normalisation")
def s7f_tp_row_sums_without_keepdims(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=1)


@right("temperature_probabilities")
def s7f_right_temperature_by_log_sum_exp(y_hat, temperature):
    s = y_hat / temperature
    m = s.max(axis=-1, keepdims=True)
    log_z = m + np.log(np.exp(s - m).sum(axis=-1, keepdims=True))
    return np.exp(s - log_z)


# --- set "s7-heldout3": written in session 7 after s7-final's four messages were fixed, as a third
# held-out set, measured once, nothing changed after it

SET = "s7-heldout3"


@wrong("make_windows", "series[i + T]", "one step late", "@Y", "@target")
def s7h_mw_target_two_steps_ahead(series, T):
    n = len(series) - T
    X = np.stack([series[i:i + T] for i in range(n)])
    return X, series[np.minimum(np.arange(n) + T + 1, len(series) - 1)]


@wrong("make_windows", "series[i : i + T]", "first value", "@window 0", "@X")
def s7h_mw_windows_relative_to_their_first_value(series, T):
    n = len(series) - T
    X = np.stack([series[i:i + T] - series[i] for i in range(n)])
    return X, series[T:].copy()


@wrong("make_windows", "range", "last window", "@window", "@X")
def s7h_mw_last_window_left_zero(series, T):
    n = len(series) - T
    X = np.zeros((n, T, series.shape[1]))
    for i in range(n - 1):
        X[i] = series[i:i + T]
    return X, series[T:].copy()


@right("make_windows")
def s7h_right_windows_by_fancy_index(series, T):
    n = len(series) - T
    idx = np.arange(n)[:, None] + np.arange(T)[None, :]
    return series[idx], series[np.arange(n) + T]


@wrong("forward_step", "h_prev", "squared", "@state's part", "@h_prev @ W.T")
def s7h_fs_state_squared(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + (h_prev ** 2) @ W.T + b)


@wrong("forward_step", "range", "last unit", "H - 1", "@unit", "@column")
def s7h_fs_loop_over_units_one_short(x_t, h_prev, U, W, b):
    H = W.shape[0]
    h = np.zeros((len(x_t), H))
    for j in range(H - 1):
        h[:, j] = np.tanh(x_t @ U[j] + h_prev @ W[j] + b[j])
    return h


@wrong("forward_step", "float16", "float64", "dtype")
def s7h_fs_half_precision_state(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b).astype(np.float16)


@right("forward_step")
def s7h_right_tanh_from_the_sigmoid(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return 2 / (1 + np.exp(-2 * a)) - 1


@wrong("rnn_forward", "int", "dtype", "float", "@states[1]", "@states")
def s7h_rf_integer_state_buffer(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]), dtype=int)
    for t in range(T):
        states[t + 1] = my.forward_step(X[:, t], states[t], U, W, b)
    return states[T] @ V.T + c, states


@wrong("rnn_forward", "c", "twice", "@Y_hat", "@read-out")
def s7h_rf_output_bias_doubled(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    return states[-1] @ V.T + 2 * c, np.stack(states)


@wrong("rnn_forward", "X[:, t]", "sum", "@states[2]", "@step")
def s7h_rf_cumulative_input(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, :t + 1].sum(axis=1), states[-1], U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@right("rnn_forward")
def s7h_right_forward_by_einsum(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(np.einsum("nd,hd->nh", X[:, t], U) + np.einsum("nk,hk->nh", h, W) + b)
        states.append(h)
    return np.einsum("nh,oh->no", h, V) + c, np.array(states)


@wrong("mse_loss", "square", "**2", "e @ e.T", "@L")
def s7h_ml_loss_with_cross_terms(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e @ e.T) / (2 * len(Y)), e / len(Y)


@wrong("mse_loss", "[:, 0]", "output", "column", "@L")
def s7h_ml_loss_of_the_first_output(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e[:, 0] ** 2) / (2 * len(Y)), e / len(Y)


@wrong("mse_loss", "float16", "float64", "dtype", "@L")
def s7h_ml_loss_in_half_precision(Y_hat, Y):
    e = Y_hat - Y
    return np.float16(np.sum(e ** 2) / (2 * len(Y))), e / len(Y)


@right("mse_loss")
def s7h_right_loss_by_frobenius_norm(Y_hat, Y):
    N = Y.shape[0]
    return float(np.linalg.norm(Y_hat - Y)) ** 2 / (2 * N), (Y_hat - Y) * (1.0 / N)


@wrong("backward_step", "delta_t @ W", "1 - h_prev", "dh_prev", "@dh_prev")
def s7h_bs_dh_prev_through_the_previous_derivative(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, (d @ W) * (1 - h_prev ** 2), d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "1 - h_t**2", "tanh", "@delta_t")
def s7h_bs_tanh_of_h_t_again(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - np.tanh(h_t) ** 2)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "1 - h_t**2", "halved", "@delta_t")
def s7h_bs_delta_halved(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2) / 2
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@right("backward_step")
def s7h_right_step_by_record_outer_products(dh_t, h_t, h_prev, x_t, W):
    d = dh_t - dh_t * h_t * h_t
    dU = sum(np.outer(d[i], x_t[i]) for i in range(len(d)))
    dW = sum(np.outer(d[i], h_prev[i]) for i in range(len(d)))
    return d, d @ W, dU, dW, d.sum(axis=0)


def _s7h_bptt(dY_hat, X, states, W, V, k, *, dc_mean=False, int_acc=False, db_skip_top=False):
    T = X.shape[1]
    kind = int if int_acc else float
    dU = np.zeros((W.shape[0], X.shape[2]), dtype=kind)
    dW, db = np.zeros(W.shape, dtype=kind), np.zeros(W.shape[0], dtype=kind)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        if not (db_skip_top and t == T):
            db += delta.sum(axis=0)
        g = delta @ W
    dc = dY_hat.mean(axis=0) if dc_mean else dY_hat.sum(axis=0)
    return dU, dW, dY_hat.T @ states[T], db, dc


@wrong("bptt", "dc", "dY_hat.sum", "mean", "@dc")
def s7h_bp_output_bias_averaged(dY_hat, X, states, W, V, k):
    return _s7h_bptt(dY_hat, X, states, W, V, k, dc_mean=True)


@wrong("bptt", "int", "dtype", "float", "zeros")
def s7h_bp_integer_accumulators(dY_hat, X, states, W, V, k):
    return _s7h_bptt(dY_hat, X, states, W, V, k, int_acc=True)


@wrong("bptt", "db", "step T", "@db")
def s7h_bp_bias_skips_the_top_step(dY_hat, X, states, W, V, k):
    return _s7h_bptt(dY_hat, X, states, W, V, k, db_skip_top=True)


@right("bptt")
def s7h_right_bptt_by_einsum(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = np.einsum("no,oh->nh", dY_hat, V)
    deltas = {}
    for t in range(T, T - k, -1):
        deltas[t] = g * (1 - np.square(states[t]))
        g = np.einsum("nh,hk->nk", deltas[t], W)
    dU = sum(np.einsum("nh,nd->hd", deltas[t], X[:, t - 1]) for t in deltas)
    dW = sum(np.einsum("nh,nk->hk", deltas[t], states[t - 1]) for t in deltas)
    db = sum(deltas[t].sum(axis=0) for t in deltas)
    return dU, dW, np.einsum("no,nh->oh", dY_hat, states[T]), db, np.sum(dY_hat, axis=0)


@wrong("numerical_gradient", "parenthes", "precedence", "(f(x + eps) - f(x - eps))", "@quotient",
       "@difference")
def s7h_ng_division_before_the_difference(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = up - down / (2 * eps)
    return grad


@wrong("numerical_gradient", "eps", "too small", "rounding", "@difference", "@quotient")
def s7h_ng_machine_epsilon_step(f, x, eps=1e-6):
    step = np.finfo(float).eps
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + step
        up = f()
        x[i] = old - step
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * step)
    return grad


@wrong("numerical_gradient", "restore", "float32", "changed", "@x")
def s7h_ng_restores_a_float32_copy(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = np.float32(x[i])
        x[i] = x[i] + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


@right("numerical_gradient")
def s7h_right_gradient_by_nditer(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        saved = float(x[i])
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / 2 / eps
    return grad


@wrong("clip_gradients", "list", "generator", "return")
def s7h_cg_returns_a_generator(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return (g * factor for g in grads)


@wrong("clip_gradients", "threshold", "0.99", "@factor")
def s7h_cg_safety_margin(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if norm <= threshold:
        return [g.copy() for g in grads]
    return [g * 0.99 * threshold / norm for g in grads]


@wrong("clip_gradients", "norm", "first row", "g[0]", "@norm")
def s7h_cg_norm_of_the_first_rows(grads, threshold):
    norm = np.sqrt(sum(np.sum(np.atleast_1d(g[0]) ** 2) for g in grads))
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@right("clip_gradients")
def s7h_right_clip_with_min(grads, threshold):
    total = sum(float(np.vdot(g, g)) for g in grads)
    factor = min(1.0, threshold / np.sqrt(total))
    return [factor * g for g in grads]


@wrong("train_rnn", "k", "k - 1", "truncat", "@bptt", "@update")
def s7h_tr_window_one_short(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, max(k - 1, 1)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "U", "W", "b", "update", "@update of U", "@U")
def s7h_tr_updates_the_readout_only(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        _, _, dV, _, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        V, c = V - learning_rate * dV, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong("train_rnn", "record", "batch", "whole", "@update", "@epoch")
def s7h_tr_one_update_per_record(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        for n in range(len(X)):
            grads = my.clip_gradients(_epoch(U, W, V, b, c, X[n:n + 1], Y[n:n + 1], k),
                                      threshold)
            U, W, V, b, c = (p - learning_rate * g
                             for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def s7h_right_training_with_a_list_comprehension(params, X, Y, learning_rate, epochs, threshold,
                                                 k):
    current = list(params)
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*current, X, Y, k), threshold)
        current = [p - learning_rate * g for p, g in zip(current, grads, strict=True)]
    return current


@wrong("gru_step", "r", "W_r", ":H", "@r", "@reset")
def s7h_gs_reset_gate_from_the_update_rows_of_w(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, H:2 * H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "r", "x_t", "U_r", "@r", "@reset")
def s7h_gs_reset_gate_from_the_state_only(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "in place", "h_prev", "copy", "changed")
def s7h_gs_mix_written_into_h_prev(x_t, h_prev, U, W, b, b_n):
    H, a, s = _gates(x_t, h_prev, U, W, b)
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    h = h_prev
    h *= z
    h += (1 - z) * n
    return h


@right("gru_step")
def s7h_right_gru_with_the_sigmoid_from_tanh(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    s = h_prev @ W.T
    r = 0.5 * (1 + np.tanh(0.5 * (a[:, :H] + s[:, :H])))
    z = 0.5 * (1 + np.tanh(0.5 * (a[:, H:2 * H] + s[:, H:2 * H])))
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return n + z * (h_prev - n)


def _s7h_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, *, dr_without_b_n=False, db_n_from_da_n=False,
                  dn_with_z=False):
    H = h_prev.shape[1]
    a, rec = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + rec[:, :H])
    z = sigmoid(a[:, H:2 * H] + rec[:, H:2 * H])
    m = rec[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    da_n = dh_t * (z if dn_with_z else 1 - z) * (1 - n ** 2)
    dz = dh_t * (h_prev - n)
    da_z = dz * z * (1 - z)
    dm = da_n * r
    da_r = da_n * (rec[:, 2 * H:] if dr_without_b_n else m) * r * (1 - r)
    d_rec = np.concatenate([da_r, da_z, dm], axis=1)
    d_in = np.concatenate([da_r, da_z, da_n], axis=1)
    dh_prev = dh_t * z + d_rec @ W
    db_n = da_n.sum(axis=0) if db_n_from_da_n else dm.sum(axis=0)
    return dh_prev, d_in.T @ x_t, d_rec.T @ h_prev, d_in.sum(axis=0), db_n


@wrong("gru_step_backward", "b_n", "m", "@da_r", "@reset")
def s7h_gb_reset_derivative_without_b_n(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7h_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dr_without_b_n=True)


@wrong("gru_step_backward", "db_n", "dm", "r", "@db_n")
def s7h_gb_db_n_from_da_n(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7h_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, db_n_from_da_n=True)


@wrong("gru_step_backward", "1 - z", "@da_n", "@candidate")
def s7h_gb_candidate_derivative_with_z(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s7h_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dn_with_z=True)


@wrong("sequence_backward_step", "V.T", "dy_hat_t @ V", "@g_t")
def s7h_sb_own_output_through_v_transposed(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V.T
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "dV_t", "mean", "divided", "@dV_t")
def s7h_sb_dV_averaged_over_records(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t / len(h_t)


@wrong("sequence_backward_step", "dh_next", "delta_t @ W", "skip", "@dh_prev")
def s7h_sb_dh_next_passed_straight_on(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W + dh_next, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s7h_right_sequence_by_einsum(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + np.einsum("no,oh->nh", dy_hat_t, V)
    d = g * (1 - h_t) * (1 + h_t)
    return g, d, np.einsum("nh,hk->nk", d, W), np.einsum("no,nh->oh", dy_hat_t, h_t)


@wrong("temperature_probabilities", "max", "overflow", "inf", "nan", "@exp")
def s7h_tp_no_max_subtracted(y_hat, temperature):
    e = np.exp(y_hat / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "/ T", "power", "divide", "@temperature")
def s7h_tp_scores_raised_to_one_over_t(y_hat, temperature):
    s = np.sign(y_hat) * np.abs(y_hat) ** (1 / temperature)
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "log", "exp", "@softmax", "@exp")
def s7h_tp_returns_log_probabilities(y_hat, temperature):
    s = y_hat / temperature
    s = s - s.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


@wrong("temperature_probabilities", "float32", "float64", "dtype")
def s7h_tp_probabilities_in_float32(y_hat, temperature):
    s = (y_hat / temperature).astype(np.float32)
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s7h_right_temperature_with_the_global_max(y_hat, temperature):
    e = np.exp((y_hat - np.max(y_hat)) / temperature)
    return e / np.sum(e, axis=-1, keepdims=True)


# --- set "s8": written in session 8 before any checker was changed, not to repeat a slip of any
# older set, with its fragments, and measured once

SET = "s8"


@wrong("make_windows", "stride", "as_strided", "window i starts", "one step", "@window 1",
       "@X")
def s8_mw_strided_windows_moved_by_one_channel(series, T):
    n = len(series) - T
    s_step, s_channel = series.strides
    X = np.lib.stride_tricks.as_strided(series, shape=(n, T, series.shape[1]),
                                        strides=(s_channel, s_step, s_channel))
    return X.copy(), series[T:].copy()


@wrong("make_windows", "len(series) - T", "len(series) // T", "too few", "windows",
       "@window", "@X")
def s8_mw_count_of_non_overlapping_windows(series, T):
    n = len(series) // T
    X = np.stack([series[i:i + T] for i in range(n)])
    return X, np.stack([series[i + T] for i in range(n)])


@wrong("make_windows", "shuffl", "order", "permut", "@window 0", "@X")
def s8_mw_windows_shuffled(series, T):
    n = len(series) - T
    X = np.stack([series[i:i + T] for i in range(n)])
    order = np.random.default_rng(0).permutation(n)
    return X[order], series[T:][order]


@wrong("make_windows", "channel", "first", "series[i:i + T, :1]", "@X", "@window")
def s8_mw_windows_of_the_first_channel(series, T):
    n = len(series) - T
    return np.stack([series[i:i + T, :1] for i in range(n)]), series[T:].copy()


@right("make_windows")
def s8_right_windows_counted_from_their_end(series, T):
    X, Y = [], []
    for end in range(T, len(series)):
        X.append(series[end - T:end])
        Y.append(series[end])
    return np.array(X, dtype=float), np.array(Y, dtype=float)


@wrong("forward_step", "h_prev[n - 1]", "previous record", "record", "@row 0", "@record",
       "@state's part")
def s8_fs_loop_reads_the_previous_records_state(x_t, h_prev, U, W, b):
    h = np.zeros((len(x_t), W.shape[0]))
    for n in range(len(x_t)):
        h[n] = np.tanh(U @ x_t[n] + W @ h_prev[n - 1] + b)
    return h


@wrong("forward_step", "sqrt", "scaled", "divided", "@pre-activation", "@x_t @ U.T",
       "@input's part")
def s8_fs_pre_activation_scaled_by_root_h(x_t, h_prev, U, W, b):
    H = W.shape[0]
    return np.tanh((x_t @ U.T + h_prev @ W.T) / np.sqrt(H) + b)


@wrong("forward_step", "x_t", "added", "broadcast", "residual", "outside", "@output",
       "@input's part")
def s8_fs_input_added_after_the_tanh(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b) + x_t


@right("forward_step")
def s8_right_step_with_np_dot_on_columns(x_t, h_prev, U, W, b):
    column = np.dot(U, x_t.T) + np.dot(W, h_prev.T) + b[:, np.newaxis]
    return np.tanh(column).T


_S8_STATE: dict[str, np.ndarray] = {}  # a learner's h kept between calls (a notebook global)


@wrong("rnn_forward", "h_0", "zeros", "reset", "previous call", "@states[0]", "@h_0")
def s8_rf_state_kept_from_the_previous_call(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = _S8_STATE.get("h", np.zeros((N, W.shape[0])))
    if h.shape != (N, W.shape[0]):
        h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    _S8_STATE["h"] = h
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "concatenat", "order", "[U, W]", "hstack", "@states[1]", "@step")
def s8_rf_joint_weights_in_the_other_order(X, U, W, V, b, c):
    N, T, _ = X.shape
    joint = np.hstack([W, U])  # columns: H for h, then D for x
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(np.concatenate([X[:, t], h], axis=1) @ joint.T + b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "c", "column", "(O, 1)", "broadcast", "@Y_hat", "@read-out")
def s8_rf_output_bias_as_a_column(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    return states[-1] @ V.T + c.reshape(-1, 1), np.stack(states)


@right("rnn_forward")
def s8_right_forward_into_a_preallocated_buffer(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.empty((T + 1, N, W.shape[0]))
    states[0] = 0.0
    for t in range(1, T + 1):
        states[t] = np.tanh(np.dot(X[:, t - 1], U.T) + np.dot(states[t - 1], W.T) + b)
    return np.dot(states[T], V.T) + c, states


@wrong("mse_loss", "broadcast", "(N,)", "(N, 1)", "ravel", "reshape", "@errors", "@L")
def s8_ml_targets_flattened_before_the_difference(Y_hat, Y):
    e = Y_hat - Y.reshape(-1)
    return float(np.sum(e ** 2)) / (2 * len(Y)), (Y_hat - Y) / len(Y)


@wrong("mse_loss", "keepdims", "one number", "float", "@L")
def s8_ml_loss_kept_as_an_array(Y_hat, Y):
    e = Y_hat - Y
    return np.sum(e ** 2, keepdims=True) / (2 * len(Y)), e / len(Y)


@wrong("mse_loss", "in place", "/=", "alias", "copy", "@L")
def s8_ml_errors_divided_in_place_before_the_loss(Y_hat, Y):
    e = Y_hat - Y
    dY_hat = e
    dY_hat /= len(Y)
    return float(np.sum(e ** 2)) / (2 * len(Y)), dY_hat


@wrong("mse_loss", "axis", "mean", "sum", "divided by O", "not by N", "@L")
def s8_ml_sum_over_records_mean_over_outputs(Y_hat, Y):
    e = Y_hat - Y
    return float((e ** 2).sum(axis=0).mean()) / 2, e / len(Y)


@right("mse_loss")
def s8_right_loss_by_einsum(Y_hat, Y):
    e = np.subtract(Y_hat, Y)
    N = len(Y)
    return float(np.einsum("no,no->", e, e)) / N / 2, np.divide(e, N)


@wrong("backward_step", "+=", "last record", "sum over the records", "overwrit", "@dU_t",
       "@dW_t")
def s8_bs_record_loop_assigns_instead_of_adding(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    dU = np.zeros((d.shape[1], x_t.shape[1]))
    dW = np.zeros((d.shape[1], h_prev.shape[1]))
    for n in range(len(d)):
        dU = np.outer(d[n], x_t[n])
        dW = np.outer(d[n], h_prev[n])
    return d, d @ W, dU, dW, d.sum(axis=0)


@wrong("backward_step", "reshape", "column", "D", "@dU_t")
def s8_bs_input_made_a_column(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ W, d.T @ x_t.reshape(-1, 1), d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "1 - h_t**2", "h_t * 2", "**", "@delta_t")
def s8_bs_derivative_typed_as_a_product(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t * 2)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@right("backward_step")
def s8_right_step_by_einsum_and_columns(dh_t, h_t, h_prev, x_t, W):
    d = np.einsum("nh,nh->nh", dh_t, 1 - np.square(h_t))
    return (d, (W.T @ d.T).T, np.einsum("nh,nd->hd", d, x_t), np.einsum("nh,nk->hk", d, h_prev),
            np.einsum("nh->h", d))


_S8_ACC: dict[tuple, list[np.ndarray]] = {}  # a learner's accumulators made once, in a cell


@wrong("bptt", "zero", "previous call", "accumulat", "reset", "global", "@dU", "@dW")
def s8_bp_accumulators_kept_between_calls(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    key = (W.shape[0], X.shape[2])
    if key not in _S8_ACC:
        _S8_ACC[key] = [np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape),
                        np.zeros(W.shape[0])]
    dU, dW, db = _S8_ACC[key]
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU.copy(), dW.copy(), dY_hat.T @ states[T], db.copy(), dY_hat.sum(axis=0)


@wrong("bptt", "outer", "sum", "record", "@dV")
def s8_bp_readout_as_the_outer_product_of_sums(dY_hat, X, states, W, V, k):
    dU, dW, _, db, dc = my.bptt(dY_hat, X, states, W, V, k)
    return dU, dW, np.outer(dY_hat.sum(axis=0), states[X.shape[1]].sum(axis=0)), db, dc


@wrong("bptt", "db", "delta", "derivative", "1 - h", "@db")
def s8_bp_bias_share_before_the_derivative(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += g.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def s8_right_bptt_with_a_list_of_deltas_and_tensordot(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    steps = list(range(T, max(T - k, 0), -1))
    deltas, g = [], dY_hat @ V
    for t in steps:
        deltas.append(g * (1 - states[t]) * (1 + states[t]))
        g = deltas[-1] @ W
    D = np.stack(deltas)  # (k, N, H)
    Xs = np.stack([X[:, t - 1] for t in steps])  # (k, N, D)
    Hs = np.stack([states[t - 1] for t in steps])  # (k, N, H)
    dU = np.tensordot(D, Xs, axes=([0, 1], [0, 1]))
    dW = np.tensordot(D, Hs, axes=([0, 1], [0, 1]))
    return dU, dW, dY_hat.T @ states[T], D.sum(axis=(0, 1)), dY_hat.sum(axis=0)


@wrong("numerical_gradient", "zero", "skip", "every entry", "@entry")
def s8_ng_skips_the_zero_entries(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        if x[i] == 0:
            continue  # "a zero weight has no gradient"
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "readwrite", "read-only", "nditer", "op_flags")
def s8_ng_nditer_without_readwrite(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for v in it:
        old = float(v)
        v[...] = old + eps
        up = f()
        v[...] = old - eps
        down = f()
        v[...] = old
        grad[it.multi_index] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "return", "inside the loop", "indent", "first entry", "@entry")
def s8_ng_return_inside_the_loop(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
        return grad
    return grad


@right("numerical_gradient")
def s8_right_gradient_over_flat_indices(f, x, eps=1e-6):
    grad = np.zeros(x.shape, dtype=float)
    for flat in range(x.size):
        i = np.unravel_index(flat, x.shape)
        keep = x[i].copy()
        x[i] = keep + eps
        f_plus = f()
        x[i] = keep - eps
        f_minus = f()
        x[i] = keep
        grad[i] = (f_plus - f_minus) / (eps + eps)
    return grad


@wrong("clip_gradients", "np.sum(g ** 2)", "broadcast", "each array", "@norm")
def s8_cg_squares_broadcast_together(grads, threshold):
    total = grads[0] ** 2
    for g in grads[1:]:
        total = total + g ** 2
    norm = np.sqrt(np.sum(total))
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


_S8_NORM: dict[str, float] = {}  # a learner's norm from an earlier cell


@wrong("clip_gradients", "norm", "previous call", "global", "stale", "@norm")
def s8_cg_norm_from_the_first_call(grads, threshold):
    if "norm" not in _S8_NORM:
        _S8_NORM["norm"] = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    norm = _S8_NORM["norm"]
    return [g * threshold / norm for g in grads] if norm > threshold else [g.copy() for g in grads]


@wrong("clip_gradients", "loop variable", "rebind", "g = g *", "unscaled", "@array 0",
       "@factor")
def s8_cg_scales_a_loop_variable(grads, threshold):
    out = list(grads)
    norm = np.sqrt(sum(np.sum(g ** 2) for g in out))
    if norm > threshold:
        for g in out:
            g = g * (threshold / norm)  # noqa: PLW2901 (the slip)
    return out


@right("clip_gradients")
def s8_right_clip_by_the_larger_of_norm_and_threshold(grads, threshold):
    norm = float(np.linalg.norm(np.concatenate([np.ravel(g) for g in grads])))
    divisor = max(norm, threshold) / threshold
    return [np.asarray(g, dtype=float) / divisor for g in grads]


@wrong("train_rnn", "states", "h_0", "states[1:]", "@bptt", "@gradient", "@update")
def s8_tr_states_without_h0_to_bptt(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states[1:], W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "same forward", "each parameter", "before any update", "recomputed",
       "@update of W", "@epoch 1")
def s8_tr_gradients_recomputed_after_each_update(params, X, Y, learning_rate, epochs,
                                                 threshold, k):
    current = list(params)
    for _ in range(epochs):
        for i in range(5):
            grads = my.clip_gradients(_epoch(*current, X, Y, k), threshold)
            current[i] = current[i] - learning_rate * grads[i]
    return current


@wrong("train_rnn", "k", "threshold", "swapped", "order", "@clip", "@bptt")
def s8_tr_k_and_threshold_swapped(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, threshold)), k)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def s8_right_training_with_a_dict_of_parameters(params, X, Y, learning_rate, epochs, threshold,
                                                k):
    names = ("U", "W", "V", "b", "c")
    p = dict(zip(names, params, strict=True))
    epoch = 0
    while epoch < epochs:
        Y_hat, states = my.rnn_forward(X, *(p[n] for n in names))
        dY_hat = my.mse_loss(Y_hat, Y)[1]
        grads = my.clip_gradients(list(my.bptt(dY_hat, X, states, p["W"], p["V"], k)), threshold)
        p = {n: p[n] - learning_rate * g for n, g in zip(names, grads, strict=True)}
        epoch += 1
    return [p[n] for n in names]


@wrong("gru_step", "W[H:2 * H]", ".T", "transpos", "@z", "@update gate")
def s8_gs_update_block_of_w_untransposed(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H] + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "in place", "b", "changed", "copy", "b_n")
def s8_gs_b_n_folded_into_b_in_place(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    b[2 * H:] += b_n
    a = x_t @ U.T + b
    s = h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    n = np.tanh(a[:, 2 * H:] + r * s[:, 2 * H:])
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b[:H]", "bias", "third", "@z", "@candidate")
def s8_gs_reset_bias_for_every_gate(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    b_r = b[:H]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b_r)
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b_r)
    n = np.tanh(x_t @ U[2 * H:].T + b_r + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s8_right_gru_record_by_record_with_logaddexp(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    out = np.empty((len(x_t), H))
    for i in range(len(x_t)):
        a = U @ x_t[i] + b
        s = W @ h_prev[i]
        r = np.exp(-np.logaddexp(0.0, -(a[:H] + s[:H])))
        z = np.exp(-np.logaddexp(0.0, -(a[H:2 * H] + s[H:2 * H])))
        n = np.tanh(a[2 * H:] + r * (s[2 * H:] + b_n))
        out[i] = (1 - z) * n + z * h_prev[i]
    return out


def _s8_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, *, candidate_only=False, dm_without_r=False,
                 direct_one_minus_z=False, in_place=False):
    H = h_prev.shape[1]
    a, s = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    m = s[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    d_n = dh_t * (1 - z) * (1 - n ** 2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n if dm_without_r else d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    if candidate_only:
        through_w = dm @ W[2 * H:]
    else:
        through_w = to_W @ W
    if in_place:
        dh_prev = dh_t
        dh_prev *= z
        dh_prev += through_w
    else:
        dh_prev = dh_t * (1 - z if direct_one_minus_z else z) + through_w
    return dh_prev, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "d_r", "d_z", "W[:H]", "W[H:2 * H]", "to_W", "@dh_prev")
def s8_gb_dh_prev_through_the_candidate_block_only(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s8_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, candidate_only=True)


@wrong("gru_step_backward", "dm", "r", "d_n * r", "@dm", "@db_n", "@dW")
def s8_gb_dm_without_the_reset_gate(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s8_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dm_without_r=True)


@wrong("gru_step_backward", "1 - z", "dh_t * z", "direct", "@dh_prev")
def s8_gb_direct_path_through_one_minus_z(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s8_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, direct_one_minus_z=True)


@wrong("gru_step_backward", "in place", "dh_t", "changed", "copy")
def s8_gb_dh_prev_built_in_dh_t(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s8_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, in_place=True)


@right("gru_step_backward")
def s8_right_gru_backward_by_einsum(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    a = np.einsum("nd,gd->ng", x_t, U) + b
    s = np.einsum("nk,gk->ng", h_prev, W)
    r = 0.5 * (1 + np.tanh(0.5 * (a[:, :H] + s[:, :H])))
    z = 0.5 * (1 + np.tanh(0.5 * (a[:, H:2 * H] + s[:, H:2 * H])))
    m = s[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    d_n = dh_t * (1 - z) * (1 - n) * (1 + n)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.hstack([d_r, d_z, dm])
    to_U = np.hstack([d_r, d_z, d_n])
    return (dh_t * z + np.einsum("ng,gk->nk", to_W, W), np.einsum("ng,nd->gd", to_U, x_t),
            np.einsum("ng,nk->gk", to_W, h_prev), np.einsum("ng->g", to_U), np.einsum("nh->h", dm))


@wrong("sequence_backward_step", "dh_next", "later steps", "g_t", "@g_t")
def s8_sb_dh_next_forgotten(dh_next, dy_hat_t, h_t, W, V):
    g = dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "in place", "dh_next", "changed", "copy")
def s8_sb_g_built_in_dh_next(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next
    g += dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "g_t", "1 - h_t**2", "whole", "@delta_t")
def s8_sb_derivative_on_the_own_output_only(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = dh_next + (dy_hat_t @ V) * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s8_right_sequence_with_matmul_and_a_loop(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + np.matmul(dy_hat_t, V)
    d = g * (1 + h_t) * (1 - h_t)
    dV = np.zeros((V.shape[0], h_t.shape[1]))
    for i in range(len(h_t)):
        dV += np.outer(dy_hat_t[i], h_t[i])
    return g, d, np.matmul(d, W), dV


@wrong("temperature_probabilities", "axis=1", "row", "largest", "column", "@exp", "@max")
def s8_tp_largest_score_of_each_column(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=0, keepdims=True)) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "keepdims", "max", "axis=1", "broadcast", "@max", "@exp")
def s8_tp_row_max_without_keepdims(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1)) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "in place", "y_hat", "changed", "copy", "/=")
def s8_tp_scores_divided_in_place(y_hat, temperature):
    y_hat /= temperature
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "sum", "max", "normalis", "@normalisation")
def s8_tp_divided_by_the_largest(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e.max(axis=1, keepdims=True)


@right("temperature_probabilities")
def s8_right_temperature_by_logaddexp_reduce(y_hat, temperature):
    s = np.asarray(y_hat, dtype=float) / temperature
    log_z = np.logaddexp.reduce(s, axis=1, keepdims=True)
    return np.exp(s - log_z)


SET = "s9"


@wrong("make_windows", "negative", "series[i - T", "i - T:i", "empty", "wraps", "@window 0", "@X")
def s9_mw_windows_ending_before_i_from_zero(series, T):
    X = np.stack([series[i - T:i] for i in range(len(series) - T)])
    return X, series[T:].copy()


@wrong("make_windows", "generator", "np.array(", "np.stack(", "@X")
def s9_mw_windows_left_as_a_generator(series, T):
    n = len(series) - T
    X = (series[i:i + T] for i in range(n))
    return X, series[T:].copy()


@wrong("make_windows", "channel axis", "[..., :-1]", "last axis", "sliding_window_view", "@X")
def s9_mw_window_view_cut_along_the_channel_axis(series, T):
    view = np.lib.stride_tricks.sliding_window_view(series, T + 1, axis=0)  # (N, D, T + 1)
    X = view[:, :-1].transpose(0, 2, 1)
    Y = view[:, :, -1]
    return X.copy(), Y.copy()


@wrong("make_windows", "np.stack", "concatenat", "(N, T, D)", "stacked", "@X")
def s9_mw_windows_concatenated_not_stacked(series, T):
    n = len(series) - T
    return np.concatenate([series[i:i + T] for i in range(n)]), series[T:].copy()


@right("make_windows")
def s9_right_windows_from_a_view_one_longer(series, T):
    view = np.lib.stride_tricks.sliding_window_view(series, T + 1, axis=0)  # (N, D, T + 1)
    return view[..., :T].transpose(0, 2, 1).copy(), view[..., T].copy()


@wrong("forward_step", "Taylor", "approximat", "polynomial", "a**3", "@tanh", "@output")
def s9_fs_tanh_by_its_taylor_series(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return a - a ** 3 / 3 + 2 * a ** 5 / 15


@wrong("forward_step", "np.outer", "outer product", "D = 1", "x_t @ U.T", "@input's part")
def s9_fs_input_part_by_np_outer(x_t, h_prev, U, W, b):
    return np.tanh(np.outer(x_t, U) + h_prev @ W.T + b)


@wrong("forward_step", "np.clip", "clipped", "saturat", "@tanh", "@pre-activation")
def s9_fs_pre_activation_clipped_before_the_tanh(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return np.tanh(np.clip(a, -1.0, 1.0))


@wrong("forward_step", "zeros_like(x_t)", "(N, H)", "buffer", "@output")
def s9_fs_unit_loop_into_a_buffer_like_x_t(x_t, h_prev, U, W, b):
    h = np.zeros_like(x_t)
    for j in range(W.shape[0]):
        h[:, j] = np.tanh(x_t @ U[j] + h_prev @ W[j] + b[j])
    return h


@right("forward_step")
def s9_right_step_unit_by_unit(x_t, h_prev, U, W, b):
    h = np.empty((x_t.shape[0], W.shape[0]))
    for j in range(W.shape[0]):
        h[:, j] = np.tanh(x_t @ U[j] + h_prev @ W[j] + b[j])
    return h


@wrong("rnn_forward", "X.T", "transpos", "swapaxes", "X[:, t]", "time axis", "@step", "@states[1]")
def s9_rf_loops_over_the_transpose_of_x(X, U, W, V, b, c):
    N = X.shape[0]
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for x_t in X.T:
        h = my.forward_step(x_t, h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "zeros_like", "(N, H)", "np.zeros((N, H))", "@states[0]", "@h_0")
def s9_rf_initial_state_shaped_like_the_input(X, U, W, V, b, c):
    T = X.shape[1]
    h = np.zeros_like(X[:, 0])
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[T - 1]", "h_(T-1)", "h_T", "states[T] @ V.T", "last state", "@Y_hat",
       "@read-out")
def s9_rf_readout_from_states_t_minus_one(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    return states[T - 1] @ V.T + c, np.stack(states)


@right("rnn_forward")
def s9_right_forward_by_reduce(X, U, W, V, b, c):
    from functools import reduce

    def step(states, x_t):
        return states + [np.tanh(x_t @ U.T + states[-1] @ W.T + b)]

    states = reduce(step, np.moveaxis(X, 1, 0), [np.zeros((X.shape[0], W.shape[0]))])
    return states[-1] @ V.T + c, np.array(states)


@wrong("mse_loss", "built-in sum", "np.sum", "one number", "axis 0", "@L")
def s9_ml_builtin_sum_over_a_matrix(Y_hat, Y):
    e = Y_hat - Y
    return sum(e ** 2) / (2 * len(Y)), e / len(Y)


@wrong("mse_loss", "np.dot", "vdot", "e.T @ e", "(N, 1)", "@L")
def s9_ml_loss_by_np_dot_of_two_columns(Y_hat, Y):
    e = Y_hat - Y
    return float(np.dot(e, e)) / (2 * len(Y)), e / len(Y)


@wrong("mse_loss", "out=", "in place", "alias", "@dY_hat")
def s9_ml_errors_squared_in_place_for_the_loss(Y_hat, Y):
    e = Y_hat - Y
    dY_hat = e
    L = float(np.sum(np.square(e, out=e))) / (2 * len(Y))
    return L, dY_hat / len(Y)


@wrong("mse_loss", "one number", "(N, O)", "every record", "summed", "@dY_hat")
def s9_ml_gradient_summed_to_one_number(Y_hat, Y):
    e = Y_hat - Y
    return float(np.sum(e ** 2)) / (2 * len(Y)), np.sum(e) / len(Y)


@right("mse_loss")
def s9_right_loss_by_average_of_row_sums(Y_hat, Y):
    e = np.asarray(Y_hat, dtype=float) - Y
    return 0.5 * float(np.average(np.sum(e * e, axis=1))), e * (1.0 / len(e))


@wrong("backward_step", "sigmoid", "h_t * (1 - h_t)", "1 - h_t**2", "@delta_t")
def s9_bs_sigmoid_derivative(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * h_t * (1 - h_t)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "np.outer", "outer product", "one record", "sum over the records",
       "delta_t.T @ x_t", "@dU_t", "@dW_t")
def s9_bs_shares_by_np_outer(dh_t, h_t, h_prev, x_t, W):
    d = dh_t * (1 - h_t ** 2)
    return d, d @ W, np.outer(d, x_t), np.outer(d, h_prev), d.sum(axis=0)


@wrong("backward_step", "diag", "first record", "Jacobian", "every record", "@delta_t")
def s9_bs_jacobian_of_the_first_record(dh_t, h_t, h_prev, x_t, W):
    J = np.diag(1 - h_t[0] ** 2)
    d = dh_t @ J
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@wrong("backward_step", "in place", "changed its input h_t", "**=", "h_t**2")
def s9_bs_squares_h_t_in_place(dh_t, h_t, h_prev, x_t, W):
    h_t **= 2
    d = dh_t * (1 - h_t)
    return d, d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0)


@right("backward_step")
def s9_right_step_by_tensordot_over_records(dh_t, h_t, h_prev, x_t, W):
    d = dh_t - dh_t * h_t * h_t
    return (d, np.tensordot(d, W, axes=(1, 0)), np.tensordot(d, x_t, axes=(0, 0)),
            np.tensordot(d, h_prev, axes=(0, 0)), np.add.reduce(d, axis=0))


@wrong("bptt", "max(T - k, 0)", "max(T - k, 1)", "step 1", "first step", "@step 1", "@dU")
def s9_bp_window_clamped_at_step_one(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, max(T - k, 1), -1):
        delta, g, dU_t, dW_t, db_t = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "X[:, t - 1]", "X[t - 1]", "record axis", "axis you index", "@dU", "@step")
def s9_bp_input_indexed_on_the_record_axis(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta, g, dU_t, dW_t, db_t = my.backward_step(g, states[t], states[t - 1], X[t - 1], W)
        dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "iterator", "reversed(", "exhausted", "used up", "second loop", "list(", "@dU",
       "@dW", "@db")
def s9_bp_steps_iterator_used_twice(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    steps = reversed(range(T - k + 1, T + 1))
    deltas, g = {}, dY_hat @ V
    for t in steps:
        deltas[t] = g * (1 - states[t] ** 2)
        g = deltas[t] @ W
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape)
    db = np.zeros(W.shape[0])
    for t in steps:  # the same iterator, already used up
        dU += deltas[t].T @ X[:, t - 1]
        dW += deltas[t].T @ states[t - 1]
        db += deltas[t].sum(axis=0)
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "another order", "unpack", "dU_t, dW_t", "swapped", "@dU", "@dW")
def s9_bp_step_results_unpacked_in_another_order(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta, g, dW_t, dU_t, db_t = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU += dU_t
        dW += dW_t
        db += db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def s9_right_bptt_by_recursion_over_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]

    def back(t, g, left):
        if left == 0 or t == 0:
            return 0.0, 0.0, 0.0
        delta = g * (1 - states[t] ** 2)
        dU, dW, db = back(t - 1, delta @ W, left - 1)
        return (delta.T @ X[:, t - 1] + dU, delta.T @ states[t - 1] + dW, delta.sum(axis=0) + db)

    dU, dW, db = back(T, dY_hat @ V, k)
    dU = dU + np.zeros((W.shape[0], X.shape[2]))
    dW = dW + np.zeros(W.shape)
    db = db + np.zeros(W.shape[0])
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "one element at a time", "mask", "every element", "earlier elements",
       "@entry 1", "@entry")
def s9_ng_mask_never_reset(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    mask = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        mask[i] = 1.0
        saved = x.copy()
        x += eps * mask
        up = f()
        x[...] = saved - eps * mask
        down = f()
        x[...] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "shape[::-1]", "reversed shape", "np.ndindex(x.shape)", "@entry")
def s9_ng_indices_of_the_reversed_shape(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape[::-1]):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


_S9_GRAD: dict[tuple, np.ndarray] = {}  # a learner's buffer made once, kept between calls


@wrong("numerical_gradient", "previous call", "global", "+=", "fresh buffer", "np.zeros_like(x)",
       "@entry 0", "@entry")
def s9_ng_buffer_kept_between_calls(f, x, eps=1e-6):
    grad = _S9_GRAD.setdefault(x.shape, np.zeros(x.shape))
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] += (up - down) / (2 * eps)
    return grad.copy()


@right("numerical_gradient")
def s9_right_gradient_restoring_with_copyto(f, x, eps=1e-6):
    saved = x.copy()
    grad = np.zeros(x.shape)
    for i in np.ndindex(*x.shape):
        x[i] = saved[i] + eps
        plus = f()
        x[i] = saved[i] - eps
        minus = f()
        np.copyto(x, saved)
        grad[i] = (plus - minus) / 2 / eps
    return grad


@wrong("clip_gradients", "one factor", "same factor", "norm once", "before scaling", "recomput",
       "@array 1", "@factor")
def s9_cg_norm_recomputed_after_each_array(grads, threshold):
    out = [np.array(g, dtype=float) for g in grads]
    for i in range(len(out)):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in out))
        if norm > threshold:
            out[i] = out[i] * threshold / norm
    return out


@wrong("clip_gradients", "g.dot(g)", "matrix product", "np.vdot", "sum of squares", "@norm")
def s9_cg_squares_by_dot_of_each_array(grads, threshold):
    norm = np.sqrt(sum(np.sum(g.dot(g)) for g in grads))
    scale = threshold / norm if norm > threshold else 1.0
    return [g * scale for g in grads]


@wrong("clip_gradients", "axis=0", "sum over all", "one number", "ambiguous", "np.sum(g ** 2)",
       "@norm")
def s9_cg_squares_summed_over_the_first_axis(grads, threshold):
    norm = np.sqrt(sum((g ** 2).sum(axis=0) for g in grads))
    scale = threshold / norm if norm > threshold else 1.0
    return [g * scale for g in grads]


@right("clip_gradients")
def s9_right_clip_by_math_hypot(grads, threshold):
    import math

    norm = math.hypot(*(float(np.linalg.norm(np.ravel(g))) for g in grads))
    scale = min(1.0, threshold / norm) if norm > 0 else 1.0
    return [np.multiply(g, scale) for g in grads]


@wrong("train_rnn", "input list", "params[i]", "new list", "changed its input params")
def s9_tr_items_of_the_input_list_replaced(params, X, Y, learning_rate, epochs, threshold, k):
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*params, X, Y, k), threshold)
        for i, g in enumerate(grads):
            params[i] = params[i] - learning_rate * g
    return params


_S9_DATA: dict[str, np.ndarray] = {}  # the notebook's data, kept from the first call


@wrong("train_rnn", "previous call", "global", "the X given", "X and Y", "other data", "@epoch 0",
       "@update")
def s9_tr_data_kept_from_the_first_call(params, X, Y, learning_rate, epochs, threshold, k):
    X_train = _S9_DATA.setdefault("X", X)  # the learner's cell: X_train = X, run once
    Y_train = _S9_DATA.setdefault("Y", Y)
    U, W, V, b, c = params
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X_train, Y_train, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "whole X", "X[:, -k:]", "last k inputs", "truncat", "@forward", "@epoch 0",
       "@update")
def s9_tr_forward_over_the_last_k_inputs(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        X_k = X[:, -k:]
        grads = my.clip_gradients(_epoch(U, W, V, b, c, X_k, Y, k), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def s9_right_training_with_itertools_repeat(params, X, Y, learning_rate, epochs, threshold, k):
    import itertools

    current = [np.array(p, dtype=float) for p in params]
    for _ in itertools.repeat(None, epochs):
        Y_hat, states = my.rnn_forward(X, *current)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY_hat, X, states, current[1], current[2], k)),
                                  threshold)
        current = [p - learning_rate * g for p, g in zip(current, grads, strict=True)]
    return current


@wrong("gru_step", "U[:H]", "blocks", "U[0::3]", "interleav", "stride", "@reset gate")
def s9_gs_gate_rows_interleaved(x_t, h_prev, U, W, b, b_n):
    r = sigmoid(x_t @ U[0::3].T + h_prev @ W[0::3].T + b[0::3])
    z = sigmoid(x_t @ U[1::3].T + h_prev @ W[1::3].T + b[1::3])
    n = np.tanh(x_t @ U[2::3].T + b[2::3] + r * (h_prev @ W[2::3].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "1 - r", "own weights", "update gate", "W[H:2*H]", "U[H:2*H]",
       "@update gate")
def s9_gs_update_gate_as_one_minus_the_reset_gate(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = 1 - r
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_n", "column", "(H, 1)", "broadcast", "@candidate")
def s9_gs_b_n_as_a_column(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n[:, None]))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "len(h_prev)", "range(N)", "h_prev.shape[0]", "every record", "@record", "@row")
def s9_gs_record_loop_over_the_units(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    out = np.zeros_like(h_prev)
    for i in range(len(h_prev[0])):
        a, s = U @ x_t[i] + b, W @ h_prev[i]
        r = sigmoid(a[:H] + s[:H])
        z = sigmoid(a[H:2 * H] + s[H:2 * H])
        n = np.tanh(a[2 * H:] + r * (s[2 * H:] + b_n))
        out[i] = (1 - z) * n + z * h_prev[i]
    return out


@right("gru_step")
def s9_right_gru_as_interpolation_from_one_joint_product(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    joint = np.concatenate([x_t, h_prev], axis=1) @ np.concatenate([U, W], axis=1).T + b
    gates = 1 / (1 + np.exp(-joint[:, :2 * H]))
    r, z = gates[:, :H], gates[:, H:]
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return n + z * (h_prev - n)


def _s9_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, *, db_from_to_w=False, tanh_again=False,
                 dU_transposed=False, back_with_d_n=False):
    H = h_prev.shape[1]
    a, s = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H:2 * H] + s[:, H:2 * H])
    m = s[:, 2 * H:] + b_n
    n = np.tanh(a[:, 2 * H:] + r * m)
    d_n = dh_t * (1 - z) * (1 - (np.tanh(n) if tanh_again else n) ** 2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    through_w = (to_U if back_with_d_n else to_W) @ W
    dU = x_t.T @ to_U if dU_transposed else to_U.T @ x_t
    db = (to_W if db_from_to_w else to_U).sum(axis=0)
    return dh_t * z + through_w, dU, to_W.T @ h_prev, db, dm.sum(axis=0)


@wrong("gru_step_backward", "db", "b[2*H:]", "outside the reset", "da_n", "@db")
def s9_gb_candidate_input_bias_through_the_reset_gate(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s9_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, db_from_to_w=True)


@wrong("gru_step_backward", "1 - n**2", "tanh(n)", "twice", "already", "@candidate", "@da_n")
def s9_gb_tanh_applied_again_in_the_derivative(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s9_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, tanh_again=True)


@wrong("gru_step_backward", "transpos", "(3H, D)", "x_t.T @", "@dU")
def s9_gb_dU_transposed(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s9_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dU_transposed=True)


@wrong("gru_step_backward", "dm", "d_n * r", "reset gate", "r * (", "@dh_prev")
def s9_gb_passed_back_without_the_reset_gate(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s9_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, back_with_d_n=True)


@wrong("sequence_backward_step", "np.outer", "outer product", "one record", "sum over the records",
       "dy_hat_t.T @ h_t", "@dV_t")
def s9_sb_dV_by_np_outer(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, np.outer(dy_hat_t, h_t)


@wrong("sequence_backward_step", "dy_hat_t @ V", "elementwise", "matrix product", "broadcast",
       "@g_t")
def s9_sb_own_output_times_v_elementwise(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t * V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "tanh(h_t)", "already", "h_t as it is", "dy_hat_t.T @ h_t",
       "@dV_t")
def s9_sb_dV_from_the_tanh_of_the_state(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return g, d, d @ W, dy_hat_t.T @ np.tanh(h_t)


@wrong("sequence_backward_step", "another order", "(g_t, delta_t", "swapped", "@g_t", "@delta_t")
def s9_sb_g_and_delta_returned_swapped(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    d = g * (1 - h_t ** 2)
    return d, g, d @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s9_right_sequence_by_tensordot(dh_next, dy_hat_t, h_t, W, V):
    g = np.add(dh_next, np.tensordot(dy_hat_t, V, axes=(1, 0)))
    d = g - g * np.square(h_t)
    return g, d, np.tensordot(d, W, axes=(1, 0)), np.tensordot(dy_hat_t, h_t, axes=(0, 0))


@wrong("temperature_probabilities", "T**2", "squared", "divided by T once", "temperature twice",
       "@exp")
def s9_tp_divided_by_the_squared_temperature(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature ** 2)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "//", "floor", "1 / T", "@exp")
def s9_tp_inverse_temperature_by_floor_division(y_hat, temperature):
    inverse = 1 // temperature
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) * inverse)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "round", "np.round", "decimals", "@output")
def s9_tp_probabilities_rounded(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return np.round(e / e.sum(axis=1, keepdims=True), 3)


@wrong("temperature_probabilities", "no effect", "before the exp", "renormalis", "cancels",
       "ignored", "@exp", "@temperature")
def s9_tp_temperature_applied_to_the_probabilities(y_hat, temperature):
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True) / temperature
    return p / p.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s9_right_temperature_on_a_scaled_copy(y_hat, temperature):
    s = np.divide(y_hat, temperature)
    s -= s.max(axis=1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=1, keepdims=True)
    return s



SET = "s10"


@wrong("make_windows", "series.size", "size", "len(series)", "records", "channels", "L * D",
       "@window", "@windows")
def s10_mw_length_from_the_size_of_the_series(series, T):
    n = series.size - T  # L * D entries, not L steps
    X = [series[i:i + T] for i in range(n)]
    return np.stack(X), series[T:T + n]


@wrong("make_windows", "D = 1", "channel", "hard-coded", "np.zeros((N, T, 1))", "buffer",
       "@windows", "@window 0")
def s10_mw_buffer_with_one_channel_written_in(series, T):
    N = len(series) - T
    X = np.zeros((N, T, 1))
    Y = np.zeros((N, 1))
    for i in range(N):
        X[i] = series[i:i + T]
        Y[i] = series[i + T]
    return X, Y


@wrong("make_windows", "pad", "zero", "shifted", "one step", "series[i - 1", "@window 0",
       "@windows")
def s10_mw_windows_of_the_zero_padded_series(series, T):
    padded = np.pad(series, ((1, 0), (0, 0)))  # a zero "h_0" in front
    N = len(series) - T
    X = np.stack([padded[i:i + T] for i in range(N)])
    return X, series[T:].copy()


@right("make_windows")
def s10_right_windows_by_zipping_shifted_copies(series, T):
    N = len(series) - T
    shifted = [series[j:j + N] for j in range(T)]
    X = np.array(list(zip(*shifted, strict=True)), dtype=float)
    return X, np.array(series[T:], dtype=float)


@wrong("forward_step", "np.tan", "tan(", "tangent", "@output", "@nonlinearity",
       "@tanh")
def s10_fs_tan_for_tanh(x_t, h_prev, U, W, b):
    return np.tan(x_t @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "axis", "sum", "summed over", "broadcast", "@input's part", "@x_t @ U.T")
def s10_fs_broadcast_product_summed_over_the_units(x_t, h_prev, U, W, b):
    input_part = (x_t[:, None, :] * U[None, :, :]).sum(axis=1)  # (N, D), should sum axis 2
    return np.tanh(input_part + h_prev @ W.T + b)


@wrong("forward_step", "sigmoid", "2 * sigmoid", "2a", "tanh(a / 2)", "halved", "@nonlinearity",
       "@output", "@tanh")
def s10_fs_tanh_from_the_sigmoid_without_doubling(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return 2 * sigmoid(a) - 1  # tanh(a) = 2 sigmoid(2a) - 1


@right("forward_step")
def s10_right_step_by_np_inner(x_t, h_prev, U, W, b):
    return np.tanh(np.inner(x_t, U) + np.inner(h_prev, W) + b)


@wrong("rnn_forward", "X[:, t:t + 1]", "time axis", "slice", "(N, 1, D)", "3-D", "@step",
       "@states[1]")
def s10_rf_slice_keeps_the_time_axis(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t:t + 1], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "passes V", "readout weights", "recurrent weights", "argument",
       "@step", "@states[1]")
def s10_rf_readout_weights_passed_for_w(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, V, b))  # V typed for W
    return states[-1] @ V.T + c, np.stack(states)


@wrong("rnn_forward", "reshape", "transpose", "swapaxes", "time-major", "records", "@states[1]",
       "@step", "@input")
def s10_rf_time_major_by_reshape(X, U, W, V, b, c):
    N, T, D = X.shape
    steps = X.reshape(T, N, D)  # reorders the memory, not the axes
    states = [np.zeros((N, W.shape[0]))]
    for x_t in steps:
        states.append(my.forward_step(x_t, states[-1], U, W, b))
    return states[-1] @ V.T + c, np.stack(states)


@right("rnn_forward")
def s10_right_forward_by_accumulate(X, U, W, V, b, c):
    from itertools import accumulate
    h0 = np.zeros((X.shape[0], W.shape[0]))
    steps = np.moveaxis(X, 1, 0)
    states = list(accumulate(steps, lambda h, x: np.tanh(x @ U.T + h @ W.T + b), initial=h0))
    return states[-1] @ V.T + c, np.array(states)


@wrong("mse_loss", "record 0", "first record", "range(1, N)", "loop", "one short", "@loss")
def s10_ml_record_loop_from_one(Y_hat, Y):
    N = len(Y)
    L = 0.0
    for n in range(1, N):
        L += np.sum((Y_hat[n] - Y[n]) ** 2)
    return L / (2 * N), (Y_hat - Y) / N


@wrong("mse_loss", "N = 50", "hard-coded", "len(Y)", "batch size", "notebook", "@loss",
       "@dY_hat")
def s10_ml_batch_size_from_the_notebook(Y_hat, Y):
    N = 50  # the notebook's batch
    E = Y_hat - Y
    return float(np.sum(E ** 2) / (2 * N)), E / N


@wrong("mse_loss", "round", "decimals", "digits", "@loss")
def s10_ml_loss_rounded(Y_hat, Y):
    E = Y_hat - Y
    N = len(Y)
    return round(float(np.sum(E ** 2) / (2 * N)), 4), E / N


@right("mse_loss")
def s10_right_loss_as_half_the_summed_column_means(Y_hat, Y):
    E = np.subtract(Y_hat, Y)
    return float(0.5 * np.mean(E * E, axis=0).sum()), E / E.shape[0]


@wrong("backward_step", "last record", "range(N - 1)", "loop", "one short", "record", "@dU_t",
       "@dW_t", "@db_t")
def s10_bs_record_loop_one_short(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    N, H = delta.shape
    dU = np.zeros((H, x_t.shape[1]))
    dW = np.zeros((H, H))
    db = np.zeros(H)
    for n in range(N - 1):
        dU += np.outer(delta[n], x_t[n])
        dW += np.outer(delta[n], h_prev[n])
        db += delta[n]
    return delta, delta @ W, dU, dW, db


@wrong("backward_step", "squeeze", "(H,)", "(H, 1)", "D = 1", "x_t", "@dU_t")
def s10_bs_input_squeezed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    x = np.squeeze(x_t)  # the course's D = 1: (N, 1) -> (N,)
    return delta, delta @ W, delta.T @ x, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "precedence", "parenthes", "dh_t * (1 - h_t**2)", "(1 - h_t**2)",
       "@delta_t", "@derivative")
def s10_bs_derivative_without_parentheses(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * 1 - h_t ** 2
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@right("backward_step")
def s10_right_step_through_cosh_of_arctanh(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t / np.cosh(np.arctanh(h_t)) ** 2
    return (delta, np.matmul(delta, W), np.matmul(delta.T, x_t), np.matmul(delta.T, h_prev),
            np.add.reduce(delta, axis=0))


@wrong("bptt", "zeros_like(W)", "shape of dU", "dU", "(H, D)", "(H, H)", "@dU")
def s10_bp_input_gradient_shaped_like_w(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = np.zeros_like(W), np.zeros_like(W), np.zeros(W.shape[0])
    dV, dc = dY_hat.T @ states[T], dY_hat.sum(axis=0)
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dV, db, dc


@wrong("bptt", "states.shape[1]", "records axis", "number of steps", "wrong axis", "@step",
       "@dV", "@h_T")
def s10_bp_steps_counted_from_the_records_axis(dY_hat, X, states, W, V, k):
    T = states.shape[1]  # states is (T + 1, N, H): this is N
    H, D = W.shape[0], X.shape[2]
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dV, dc = dY_hat.T @ states[T], dY_hat.sum(axis=0)
    dh = dY_hat @ V
    for t in range(T, max(T - k, 0), -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dV, db, dc


@wrong("bptt", "summed over records", "sum(axis=0)", "every record", "records", "dY_hat",
       "@dh_T", "@step T", "@dU")
def s10_bp_top_error_summed_over_records(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H, D = W.shape[0], X.shape[2]
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dV, dc = dY_hat.T @ states[T], dY_hat.sum(axis=0)
    dh = dY_hat.sum(axis=0) @ V  # (H,), broadcast to every record
    for t in range(T, T - k, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dV, db, dc


@right("bptt")
def s10_right_bptt_counting_steps_back(dY_hat, X, states, W, V, k):
    T = len(states) - 1
    dh = np.dot(dY_hat, V)
    shares = []
    for j in range(k):
        t = T - j
        delta = dh * (1 - states[t]) * (1 + states[t])
        shares.append((delta.T @ X[:, t - 1], delta.T @ states[t - 1], delta.sum(axis=0)))
        dh = delta @ W
    dU, dW, db = (sum(s[i] for s in shares) for i in range(3))
    return dU, dW, np.dot(dY_hat.T, states[T]), db, np.sum(dY_hat, axis=0)


@wrong("numerical_gradient", "x.shape[1]", "1-D", "2-D", "two indices", "b and c", "IndexError",
       "@entry")
def s10_ng_double_loop_for_matrices_only(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            old = x[i, j]
            x[i, j] = old + eps
            up = f()
            x[i, j] = old - eps
            down = f()
            x[i, j] = old
            grad[i, j] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "grad[idx]", "index", "every entry", "sum", "grad +=", "@entry",
       "@grad")
def s10_ng_buffer_added_to_without_its_index(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        down = f()
        x[idx] = old
        grad += (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "restore", "indent", "after the loop", "left changed",
       "put it back", "@restor", "@restore")
def s10_ng_restore_dedented_out_of_the_loop(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        up = f()
        x[idx] = old - eps
        down = f()
        grad[idx] = (up - down) / (2 * eps)
    x[idx] = old  # only the last element goes back
    return grad


@right("numerical_gradient")
def s10_right_gradient_as_mean_of_forward_and_backward(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for idx, value in np.ndenumerate(x):
        centre = f()
        x[idx] = value + eps
        up = f()
        x[idx] = value - eps
        down = f()
        x[idx] = value
        grad[idx] = ((up - centre) / eps + (centre - down) / eps) / 2
    return grad


@wrong("clip_gradients", "'fro'", "fro", "1-D", "vector", "b and c", "biases", "@norm")
def s10_cg_frobenius_norm_of_every_array(grads, threshold):
    norm = np.sqrt(sum(np.linalg.norm(g, "fro") ** 2 for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "ragged", "inhomogeneous", "list of arrays", "np.sum(", "shapes",
       "@norm")
def s10_cg_squares_summed_as_one_ragged_list(grads, threshold):
    norm = np.sqrt(np.sum([g ** 2 for g in grads]))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "g.T", "transpose", "outer", "g * g", "squares", "@norm")
def s10_cg_squares_as_the_product_with_the_transpose(grads, threshold):
    norm = np.sqrt(sum(np.sum(g * g.T) for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@right("clip_gradients")
def s10_right_clip_by_minimum_of_one_and_the_ratio(grads, threshold):
    norm = np.sqrt(np.add.reduce([np.vdot(g, g) for g in grads]))
    factor = 1.0 if norm == 0 else min(1.0, threshold / norm)
    return [np.multiply(g, factor) for g in grads]


@wrong("train_rnn", "/ N", "mse_loss", "dY_hat", "divided by N", "N times", "@gradient",
       "@dY_hat", "@update")
def s10_tr_error_not_divided_by_n(params, X, Y, learning_rate, epochs, threshold, k):
    params = [p.copy() for p in params]
    for _ in range(epochs):
        U, W, V, b, c = params
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        dY_hat = Y_hat - Y  # mean's 1 / N forgotten
        grads = my.clip_gradients(list(my.bptt(dY_hat, X, states, W, V, k)), threshold)
        params = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
    return params


@wrong("train_rnn", "np.copy", "ragged", "inhomogeneous", "list of arrays", "@params", "@copy")
def s10_tr_params_copied_by_np_copy(params, X, Y, learning_rate, epochs, threshold, k):
    params = np.copy(params)
    for _ in range(epochs):
        U, W, V, b, c = params
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY_hat, X, states, W, V, k)), threshold)
        params = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
    return list(params)


@wrong("train_rnn", "Y_hat", "dY_hat", "prediction", "gradient of the loss", "bptt",
       "@gradient", "@bptt")
def s10_tr_prediction_passed_to_bptt(params, X, Y, learning_rate, epochs, threshold, k):
    params = [p.copy() for p in params]
    for _ in range(epochs):
        U, W, V, b, c = params
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        L, dY_hat = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(Y_hat, X, states, W, V, k)), threshold)
        params = [p - learning_rate * g for p, g in zip(params, grads, strict=True)]
    return params


@right("train_rnn")
def s10_right_training_with_enumerate_updates(params, X, Y, learning_rate, epochs, threshold, k):
    trained = [np.array(p, dtype=float, copy=True) for p in params]
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, *trained)
        dY_hat = my.mse_loss(Y_hat, Y)[1]
        grads = my.bptt(dY_hat, X, states, trained[1], trained[2], k)
        for i, g in enumerate(my.clip_gradients(list(grads), threshold)):
            trained[i] = trained[i] - learning_rate * g
    return trained


@wrong("gru_step", "W.shape[0]", "3H", "W.shape[1]", "forward_step", "@reset gate", "@gate")
def s10_gs_size_copied_from_forward_step(x_t, h_prev, U, W, b, b_n):
    H = W.shape[0]  # the plain cell's line: here W is (3H, H)
    gx = x_t @ U.T + b
    gh = h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_xn", "b_hh", "r * (", "input bias", "@candidate")
def s10_gs_bias_on_the_state_side(x_t, h_prev, U, W, b, b_n):
    H = W.shape[1]
    gx = x_t @ U.T
    gh = h_prev @ W.T + b  # b taken for torch's b_hh
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "r * h_prev", "reset state", "update gate", "@update gate")
def s10_gs_update_gate_from_the_reset_state(x_t, h_prev, U, W, b, b_n):
    H = W.shape[1]
    U_r, U_z, U_n = U[:H], U[H:2 * H], U[2 * H:]
    W_r, W_z, W_n = W[:H], W[H:2 * H], W[2 * H:]
    r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b[:H])
    z = sigmoid(x_t @ U_z.T + (r * h_prev) @ W_z.T + b[H:2 * H])
    n = np.tanh(x_t @ U_n.T + b[2 * H:] + r * (h_prev @ W_n.T + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s10_right_gru_with_reciprocal_and_reshaped_blocks(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx = np.einsum("gkd,nd->gnk", U.reshape(3, H, -1), x_t) + b.reshape(3, 1, H)
    gh = np.einsum("gkj,nj->gnk", W.reshape(3, H, H), h_prev)
    r = np.reciprocal(1 + np.exp(-(gx[0] + gh[0])))
    z = np.reciprocal(1 + np.exp(-(gx[1] + gh[1])))
    n = np.tanh(gx[2] + r * (gh[2] + b_n))
    return n + z * (h_prev - n)


def _s10_gru_forward(x_t, h_prev, U, W, b, b_n):
    H = W.shape[1]
    gx = x_t @ U.T + b
    gh = h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    return r, z, m, n


@wrong("gru_step_backward", "z * (1 - z)", "sigmoid", "1 - z**2", "tanh", "derivative", "@dU",
       "@update gate")
def s10_gb_update_gate_differentiated_as_tanh(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s10_gru_forward(x_t, h_prev, U, W, b, b_n)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * (1 - z ** 2)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    gates_w = np.hstack([da_r, da_z, dm])
    gates_u = np.hstack([da_r, da_z, da_n])
    return (dh_t * z + gates_w @ W, gates_u.T @ x_t, gates_w.T @ h_prev, gates_u.sum(axis=0),
            dm.sum(axis=0))


@wrong("gru_step_backward", "h_prev W_n", "Cho", "m * r", "da_r", "@reset gate")
def s10_gb_reset_derivative_of_chos_convention(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s10_gru_forward(x_t, h_prev, U, W, b, b_n)
    H = W.shape[1]
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = (da_n @ W[2 * H:]) * h_prev * r * (1 - r)  # r * h_prev inside the product
    gates_w = np.hstack([da_r, da_z, dm])
    gates_u = np.hstack([da_r, da_z, da_n])
    return (dh_t * z + gates_w @ W, gates_u.T @ x_t, gates_w.T @ h_prev, gates_u.sum(axis=0),
            dm.sum(axis=0))


@wrong("gru_step_backward", "dm", "da_n", "W_n", "@dW", "@candidate")
def s10_gb_candidate_block_of_dw_without_the_reset(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s10_gru_forward(x_t, h_prev, U, W, b, b_n)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    gates_u = np.hstack([da_r, da_z, da_n])
    dW = gates_u.T @ h_prev  # the candidate rows need dm, not da_n
    return (dh_t * z + np.hstack([da_r, da_z, dm]) @ W, gates_u.T @ x_t, dW,
            gates_u.sum(axis=0), dm.sum(axis=0))


@wrong("gru_step_backward", "r, z, n", "z, r", "gate order", "@dU", "@reset gate",
       "@update gate")
def s10_gb_gate_errors_stacked_z_first(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s10_gru_forward(x_t, h_prev, U, W, b, b_n)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    gates_w = np.hstack([da_z, da_r, dm])
    gates_u = np.hstack([da_z, da_r, da_n])
    return (dh_t * z + gates_w @ W, gates_u.T @ x_t, gates_w.T @ h_prev, gates_u.sum(axis=0),
            dm.sum(axis=0))


@right("gru_step_backward")
def s10_right_gru_backward_by_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r, z, m, n = _s10_gru_forward(x_t, h_prev, U, W, b, b_n)
    da_n = dh_t * (1 - z) * (1 - n * n)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    dh_prev = dh_t * z
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    for g, (du_part, dw_part) in enumerate([(da_r, da_r), (da_z, da_z), (da_n, dm)]):
        rows = slice(g * H, (g + 1) * H)
        dh_prev = dh_prev + dw_part @ W[rows]
        dU[rows] = du_part.T @ x_t
        dW[rows] = dw_part.T @ h_prev
        db[rows] = du_part.sum(axis=0)
    return dh_prev, dU, dW, db, dm.sum(axis=0)


@wrong("sequence_backward_step", "dh_next @ W", "already", "through W", "twice", "dh_next",
       "@g_t")
def s10_sb_later_steps_error_passed_through_w_again(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next @ W + dy_hat_t @ V  # dh_next is already step t + 1's dh_prev
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "mean", "averaged", "outputs", "sum over", "1 / O",
       "@g_t", "@own output")
def s10_sb_own_output_averaged_over_the_outputs(dh_next, dy_hat_t, h_t, W, V):
    own = (dy_hat_t[:, :, None] * V[None, :, :]).mean(axis=1)  # sum over O, not mean
    g = dh_next + own
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "own output", "dy_hat_t @ V", "h_(t-1)", "dh_prev",
       "passed back", "@dh_prev")
def s10_sb_own_output_also_sent_back(dh_next, dy_hat_t, h_t, W, V):
    own = dy_hat_t @ V
    g = dh_next + own
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W + own, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "delta", "dy_hat_t.T @ h_t", "@dV_t")
def s10_sb_dv_from_delta(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ delta


@right("sequence_backward_step")
def s10_right_sequence_by_np_dot_and_multiply(dh_next, dy_hat_t, h_t, W, V):
    g = np.add(dh_next, np.dot(dy_hat_t, V))
    delta = np.multiply(g, np.subtract(1, np.square(h_t)))
    return g, delta, np.dot(delta, W), np.dot(dy_hat_t.T, h_t)


@wrong("temperature_probabilities", "norm", "L2", "sum to 1", "np.linalg.norm",
       "@normalisation", "@probabilities")
def s10_tp_normalised_by_the_euclidean_norm(y_hat, temperature):
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / np.linalg.norm(e, axis=1, keepdims=True)


@wrong("temperature_probabilities", "max - y_hat", "reversed", "the other way", "sign",
       "inverted", "lowest score", "@exp(", "@scores")
def s10_tp_largest_score_minus_the_scores(y_hat, temperature):
    e = np.exp((y_hat.max(axis=1, keepdims=True) - y_hat) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "transpose", "(O, N)", "columns", "column", "p.T",
       "@probabilities", "@output")
def s10_tp_column_convention_not_transposed_back(y_hat, temperature):
    s = y_hat.T / temperature  # one column per stream, as V h_t
    e = np.exp(s - s.max(axis=0))
    return e / e.sum(axis=0)


@wrong("temperature_probabilities", "clip", "np.clip", "largest score", "overflow", "saturat",
       "@exp(", "@scores")
def s10_tp_scores_clipped_against_overflow(y_hat, temperature):
    e = np.exp(np.clip(y_hat / temperature, -50, 50))  # instead of subtracting the max
    return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s10_right_temperature_by_exp_of_log_softmax(y_hat, temperature):
    s = y_hat / temperature
    s = s - np.max(s, axis=-1, keepdims=True)
    return np.exp(s - np.log(np.exp(s).sum(axis=-1, keepdims=True)))


SET = "s11"

_S11_WINDOWS: list = []  # the notebook cell's list, made once outside the function


@wrong("make_windows", "one array", "same array", "the same buffer", "every window", "copy",
       "aliased", "last window", "@window 0", "@windows")
def s11_mw_one_buffer_appended_for_every_window(series, T):
    L, D = series.shape
    window = np.zeros((T, D))
    X, Y = [], []
    for i in range(L - T):
        window[:] = series[i:i + T]
        X.append(window)  # the same array each time
        Y.append(series[i + T])
    return np.array(X), np.array(Y)


@wrong("make_windows", "between calls", "previous call", "first call", "kept", "global",
       "outside the function", "@windows", "@window")
def s11_mw_list_kept_outside_the_function(series, T):
    Y = []
    for i in range(len(series) - T):
        _S11_WINDOWS.append(series[i:i + T])
        Y.append(series[i + T])
    return np.array(_S11_WINDOWS), np.array(Y)


@wrong("make_windows", "pad", "zero", "L - T", "len(series) - T", "windows past the end",
       "too many", "N = L", "@windows", "@window")
def s11_mw_series_padded_at_the_end(series, T):
    padded = np.pad(series, ((0, T), (0, 0)))  # so that every step starts a window
    L = len(series)
    X = np.stack([padded[i:i + T] for i in range(L)])
    Y = np.stack([padded[i + T] for i in range(L)])
    return X, Y


@right("make_windows")
def s11_right_windows_by_as_strided_copy(series, T):
    s = np.ascontiguousarray(series, dtype=float)
    L, D = s.shape
    N = L - T
    X = np.lib.stride_tricks.as_strided(s, shape=(N, T, D),
                                        strides=(s.strides[0], s.strides[0], s.strides[1]))
    return X.copy(), s[T:].copy()


@wrong("forward_step", "records", "h_prev.shape[1]", "units", "H records", "loop", "range(H)",
       "wrong axis", "@record", "@output", "@row")
def s11_fs_record_loop_over_the_units_axis(x_t, h_prev, U, W, b):
    h = np.zeros_like(h_prev)
    for n in range(h_prev.shape[1]):  # meant the records: h_prev.shape[0]
        h[n] = np.tanh(U @ x_t[n] + W @ h_prev[n] + b)
    return h


_S11_W_T: list = []  # W.T, computed once "for speed"


@wrong("forward_step", "between calls", "previous call", "first call", "kept", "cached",
       "stale", "@state's part", "@h_prev @ W.T", "@output")
def s11_fs_transposed_w_cached_between_calls(x_t, h_prev, U, W, b):
    if not _S11_W_T:
        _S11_W_T.append(W.T.copy())
    return np.tanh(x_t @ U.T + h_prev @ _S11_W_T[0] + b)


@wrong("forward_step", "D = 1", "first channel", "x_t[:, 0]", "np.outer", "channels",
       "one input", "@input's part", "@x_t @ U.T")
def s11_fs_input_part_written_for_one_channel(x_t, h_prev, U, W, b):
    return np.tanh(np.outer(x_t[:, 0], U[:, 0]) + h_prev @ W.T + b)


@right("forward_step")
def s11_right_step_summing_the_channels(x_t, h_prev, U, W, b):
    a = h_prev @ W.T + b
    for d in range(x_t.shape[1]):
        a = a + x_t[:, d:d + 1] * U[:, d]
    return np.tanh(a)


@wrong("rnn_forward", "vstack", "concatenate", "(T + 1, N, H)", "((T + 1) N, H)",
       "(T + 1) N", "records axis", "np.stack", "@states")
def s11_rf_states_vstacked(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))]
    for t in range(T):
        states.append(my.forward_step(X[:, t], states[-1], U, W, b))
    return states[-1] @ V.T + c, np.vstack(states)


@wrong("rnn_forward", "transpose", "X[:, t].T", "(D, N)", "x_t", "passes", "@step",
       "@states[1]")
def s11_rf_input_passed_transposed(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t].T, h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "O = 1", "elementwise", "V.T", "h_T V^T", "sum(axis=1", "outputs",
       "read-out", "readout", "@Y_hat", "@prediction", "@read-out")
def s11_rf_readout_written_for_one_output(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return (h * V).sum(axis=1, keepdims=True) + c, np.stack(states)


@right("rnn_forward")
def s11_right_forward_by_recursion(X, U, W, V, b, c):
    def run(t):
        if t == 0:
            return [np.zeros((X.shape[0], len(b)))]
        earlier = run(t - 1)
        return earlier + [np.tanh(X[:, t - 1] @ U.T + earlier[-1] @ W.T + b)]
    states = np.array(run(X.shape[1]))
    return states[-1] @ V.T + c, states


_S11_TOTAL = [0.0]  # a running loss, as in a training loop


@wrong("mse_loss", "between calls", "previous call", "first call", "accumulat", "running",
       "kept", "global", "@loss", "@line of L")
def s11_ml_loss_accumulated_in_a_running_total(Y_hat, Y):
    E = Y_hat - Y
    N = len(Y)
    _S11_TOTAL[0] += np.sum(E ** 2) / (2 * N)
    return float(_S11_TOTAL[0]), E / N


@wrong("mse_loss", "last record", "Y_hat[-1]", "one record", "records", "every record",
       "@loss", "@line of L", "@dY_hat")
def s11_ml_loss_of_the_last_record_only(Y_hat, Y):
    N = len(Y)
    e = Y_hat[-1] - Y[-1]  # the last step, as the prediction is made at step T
    dY = np.zeros_like(Y_hat)
    dY[-1] = e / N
    return float(np.sum(e ** 2) / (2 * N)), dY


@wrong("mse_loss", "ord=2", "spectral", "largest singular", "Frobenius", "np.linalg.norm",
       "@loss", "@line of L")
def s11_ml_spectral_norm_for_the_sum_of_squares(Y_hat, Y):
    E = Y_hat - Y
    N = len(Y)
    return float(np.linalg.norm(E, 2) ** 2 / (2 * N)), E / N


@wrong("mse_loss", "O, N", "N, O", "Y.shape", "unpack", "outputs", "O instead of N", "1/N",
       "@loss", "@dY_hat")
def s11_ml_shape_unpacked_as_outputs_then_records(Y_hat, Y):
    O, N = Y.shape  # rows are records: this is N, O
    E = Y_hat - Y
    return float(np.sum(E ** 2) / (2 * N)), E / N

@right("mse_loss")
def s11_right_loss_from_row_means_times_outputs(Y_hat, Y):
    E = Y_hat - Y
    N, O = E.shape
    return float(((E ** 2).mean(axis=1) * O).mean() / 2), E / N


@wrong("backward_step", "dh_prev", "h_prev", "dW_t", "delta_t^T h_prev", "outgoing error",
       "@dW_t", "@recurrent share")
def s11_bs_recurrent_share_from_dh_prev(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dh_prev = delta @ W
    return delta, dh_prev, delta.T @ x_t, delta.T @ dh_prev, delta.sum(axis=0)


@wrong("backward_step", "h_t ^ 2", "h_t ** 2", "xor", "bitwise", "power", "h_t**2",
       "TypeError", "@delta_t", "@derivative")
def s11_bs_power_written_with_a_caret(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ^ 2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "x_t", "h_prev", "order", "swapped", "arguments", "signature",
       "@dU_t", "@dW_t")
def s11_bs_parameters_x_and_h_prev_in_another_order(dh_t, h_t, x_t, h_prev, W):
    delta = dh_t * (1 - h_t ** 2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@right("backward_step")
def s11_right_step_with_one_joint_product(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - np.square(h_t))
    joint = delta.T @ np.hstack([x_t, h_prev])
    D = x_t.shape[1]
    return delta, delta @ W, joint[:, :D], joint[:, D:], delta.T @ np.ones(len(delta))


@wrong("bptt", "O = 1", "dY_hat * V", "dY_hat @ V", "elementwise", "outputs", "@g_T", "@dh_T",
       "@step T")
def s11_bp_error_at_the_top_written_for_one_output(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H, D = W.shape[0], X.shape[2]
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dh = dY_hat * V  # (N, 1) * (1, H) for one output
    for t in range(T, T - k, -1):
        delta, dh, dU_t, dW_t, db_t = my.backward_step(dh, states[t], states[t - 1],
                                                       X[:, t - 1], W)
        dU += dU_t
        dW += dW_t
        db += db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "len(states)", "T + 1", "IndexError", "out of bounds", "one step", "T =",
       "@step", "@h_T")
def s11_bp_steps_counted_as_the_number_of_states(dY_hat, X, states, W, V, k):
    T = len(states)  # T + 1 states
    H, D = W.shape[0], X.shape[2]
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dh = dY_hat @ V
    for t in range(T - 1, T - 1 - k, -1):
        delta, dh, dU_t, dW_t, db_t = my.backward_step(dh, states[t], states[t - 1],
                                                       X[:, t], W)
        dU += dU_t
        dW += dW_t
        db += db_t
    return dU, dW, dY_hat.T @ states[-1], db, dY_hat.sum(axis=0)


@wrong("bptt", "(H, 1)", "column", "db", "broadcast", "(H,)", "@db")
def s11_bp_bias_accumulator_as_a_column(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H, D = W.shape[0], X.shape[2]
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros((H, 1))
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta, dh, dU_t, dW_t, db_t = my.backward_step(dh, states[t], states[t - 1],
                                                       X[:, t - 1], W)
        dU += dU_t
        dW += dW_t
        db += db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def s11_right_bptt_with_zero_based_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dh = dY_hat @ V
    dU = np.zeros((W.shape[0], X.shape[2]))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    for t in reversed(range(T - k, T)):  # 0-based: x_t = X[:, t], h_t = states[t + 1]
        delta = dh * (1 - states[t + 1] ** 2)
        dU = dU + delta.T @ X[:, t]
        dW = dW + delta.T @ states[t]
        db = db + delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("numerical_gradient", "atleast_2d", "(1, n)", "1-D", "shape", "b and c", "@gradient",
       "@entry")
def s11_ng_one_d_arrays_made_rows(f, x, eps=1e-6):
    x2 = np.atleast_2d(x)  # a view: b and c become (1, n)
    grad = np.zeros_like(x2)
    for i in range(x2.shape[0]):
        for j in range(x2.shape[1]):
            old = x2[i, j]
            x2[i, j] = old + eps
            fp = f()
            x2[i, j] = old - eps
            fm = f()
            x2[i, j] = old
            grad[i, j] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "round", "decimals", "digits", "np.round", "@gradient",
       "@entry")
def s11_ng_gradient_rounded_for_printing(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return np.round(grad, 6)


@wrong("numerical_gradient", "f()", "call", "not called", "function", "parentheses",
       "TypeError", "@f(", "@entry")
def s11_ng_function_not_called(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        fp = f
        x[idx] = old - eps
        fm = f
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@right("numerical_gradient")
def s11_right_gradient_over_the_step_actually_taken(f, x, eps=1e-6):
    grad = np.empty_like(x)
    for idx, old in np.ndenumerate(x.copy()):
        hi, lo = old + eps, old - eps
        x[idx] = hi
        fp = f()
        x[idx] = lo
        fm = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (hi - lo)
    return grad


@wrong("clip_gradients", "zero", "ZeroDivisionError", "division by zero", "norm is 0",
       "all-zero", "math.sqrt", "@factor", "@norm")
def s11_cg_factor_divides_by_a_zero_norm(grads, threshold):
    import math
    norm = math.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    factor = min(1.0, threshold / norm)
    return [g * factor for g in grads]


@wrong("clip_gradients", "array_split", "np.split", "equal", "sizes", "shapes", "reshape",
       "split back", "@array", "@array 0")
def s11_cg_concatenation_split_back_into_equal_pieces(grads, threshold):
    flat = np.concatenate([g.ravel() for g in grads])
    norm = np.linalg.norm(flat)
    if norm > threshold:
        flat = flat * (threshold / norm)
    return np.array_split(flat, len(grads))


@wrong("clip_gradients", "axis=(0, 1)", "1-D", "biases", "axis 1", "matrices", "AxisError",
       "b and c", "@norm")
def s11_cg_squares_summed_over_two_axes(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2, axis=(0, 1)) for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "grads.copy()", "shallow", "copy of the list", "in place",
       "changed its input grads", "*=", "@array 0", "@array")
def s11_cg_list_copied_arrays_scaled_in_place(grads, threshold):
    clipped = grads.copy()  # a new list, the same arrays
    norm = np.sqrt(sum(np.sum(g ** 2) for g in clipped))
    if norm > threshold:
        for g in clipped:
            g *= threshold / norm
    return clipped

@right("clip_gradients")
def s11_right_clip_by_the_smaller_scale(grads, threshold):
    norm = np.sqrt(np.add.reduce([np.square(g).sum() for g in grads]))
    scale = threshold / max(norm, threshold)
    return [np.multiply(g, scale) for g in grads]


@wrong("train_rnn", "params[:]", "shallow", "copy of the list", "in place",
       "changed its input params", "-=", "@update", "@params")
def s11_tr_list_copied_arrays_updated_in_place(params, X, Y, learning_rate, epochs, threshold,
                                               k):
    trained = params[:]  # a new list of the same arrays
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*trained, X, Y, k), threshold)
        for p, g in zip(trained, grads, strict=True):
            p -= learning_rate * g
    return trained


@wrong("train_rnn", "early", "stops", "break", "loss went up", "increase", "fewer epochs",
       "@epoch")
def s11_tr_stops_when_the_loss_goes_up(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (p.copy() for p in params)
    best = np.inf
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        L, dY = my.mse_loss(Y_hat, Y)
        if L > best:
            break  # "early stopping"
        best = L
        dU, dW, dV, db, dc = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)),
                                               threshold)
        U, W, V, b, c = (U - learning_rate * dU, W - learning_rate * dW,
                         V - learning_rate * dV, b - learning_rate * db,
                         c - learning_rate * dc)
    return [U, W, V, b, c]


@wrong("train_rnn", "mini-batch", "batch", "full-batch", "records", "every record",
       "one update per epoch", "@epoch 1", "@update")
def s11_tr_mini_batches_of_ten(params, X, Y, learning_rate, epochs, threshold, k):
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        for start in range(0, len(X), 10):
            Xb, Yb = X[start:start + 10], Y[start:start + 10]
            grads = my.clip_gradients(_epoch(*trained, Xb, Yb, k), threshold)
            trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
    return trained


@right("train_rnn")
def s11_right_training_counting_epochs_down(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    left = epochs
    while left > 0:
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        g = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * d for p, d in zip((U, W, V, b, c), g, strict=True))
        left -= 1
    return [U, W, V, b, c]


@wrong("gru_step", "np.split", "axis=1", "axis 0", "records", "columns", "split",
       "@gates", "@reset gate", "@update gate")
def s11_gs_joint_product_split_along_the_records(x_t, h_prev, U, W, b, b_n):
    gx_r, gx_z, gx_n = np.split(x_t @ U.T + b, 3)  # axis 0: the records
    gh_r, gh_z, gh_n = np.split(h_prev @ W.T, 3)
    r = sigmoid(gx_r + gh_r)
    z = sigmoid(gx_z + gh_z)
    n = np.tanh(gx_n + r * (gh_n + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_z", "after the sigmoid", "outside", "inside the sigmoid", "bias",
       "@update gate", "@gates")
def s11_gs_update_gate_bias_added_after_the_sigmoid(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T) + b[H:2 * H]
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "D = 1", "elementwise", "x_t @ U", "x_t * U", "channels", "first channel",
       "@input", "@reset gate", "@gates")
def s11_gs_input_parts_as_products_for_one_channel(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    Ur, Uz, Un = U[:H], U[H:2 * H], U[2 * H:]
    r = sigmoid(x_t * Ur.T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t * Uz.T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t * Un.T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s11_right_gru_moving_from_the_candidate(x_t, h_prev, U, W, b, b_n):
    H = W.shape[1]
    a = np.einsum("nd,gd->ng", x_t, U) + b
    s = np.einsum("nh,gh->ng", h_prev, W)
    r = 0.5 * (1 + np.tanh((a[:, :H] + s[:, :H]) / 2))
    z = 0.5 * (1 + np.tanh((a[:, H:2 * H] + s[:, H:2 * H]) / 2))
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return h_prev + (1 - z) * (n - h_prev)


def _s11_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dsig=None, db_n_rows_from_dm=False,
                  r_twice=False, dz_one_minus_only=False):
    H = len(b_n)
    gx = x_t @ U.T + b
    gh = h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    d_sigmoid = dsig or (lambda s: s * (1 - s))
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * ((1 - z) if dz_one_minus_only else d_sigmoid(z))
    dm = da_n * r
    da_r = (dm * m * r * (1 - r)) if r_twice else da_n * m * d_sigmoid(r)
    to_w = np.hstack([da_r, da_z, dm])
    to_u = np.hstack([da_r, da_z, da_n])
    to_b = to_w if db_n_rows_from_dm else to_u
    return (dh_t * z + to_w @ W, to_u.T @ x_t, to_w.T @ h_prev, to_b.sum(axis=0),
            dm.sum(axis=0))


@wrong("gru_step_backward", "s * (1 - s)", "z * (1 - z)", "r * (1 - r)", "sign", "sigmoid",
       "derivative", "@update gate", "@reset gate", "@da_z", "@da_r")
def s11_gb_sigmoid_derivative_of_the_wrong_sign(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s11_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dsig=lambda s: s * (s - 1))


@wrong("gru_step_backward", "db", "da_n", "dm", "b_xn", "candidate's rows of b",
       "input bias", "@db", "@candidate")
def s11_gb_candidate_rows_of_db_from_dm(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s11_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, db_n_rows_from_dm=True)


@wrong("gru_step_backward", "r * (1 - r)", "twice", "dm * m", "da_n * m", "r counted",
       "@da_r", "@reset gate")
def s11_gb_reset_error_from_dm_with_r_again(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s11_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, r_twice=True)


@wrong("gru_step_backward", "z * (1 - z)", "1 - z", "sigmoid", "derivative", "da_z",
       "@update gate", "@da_z")
def s11_gb_update_derivative_without_its_z(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s11_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dz_one_minus_only=True)

@right("gru_step_backward")
def s11_right_gru_backward_by_named_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
    (Ur, Uz, Un), (Wr, Wz, Wn), (br, bz, bn) = (np.split(a, 3) for a in (U, W, b))
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    m = h_prev @ Wn.T + b_n
    n = np.tanh(x_t @ Un.T + bn + r * m)
    da_n = dh_t * (1 - z) * (1 - n) * (1 + n)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    dh_prev = dh_t * z + da_r @ Wr + da_z @ Wz + dm @ Wn
    dU = np.concatenate([da_r.T @ x_t, da_z.T @ x_t, da_n.T @ x_t])
    dW = np.concatenate([da_r.T @ h_prev, da_z.T @ h_prev, dm.T @ h_prev])
    db = np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)])
    return dh_prev, dU, dW, db, dm.sum(0)


@wrong("sequence_backward_step", "dh_next +", "added", "sum", "multiplied", "product",
       "dh_next + dy_hat_t V", "g_t", "@g_t")
def s11_sb_two_errors_multiplied(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next * (dy_hat_t @ V)
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "first stream", "one stream", "np.outer", "streams",
       "every stream", "records", "@dV_t")
def s11_sb_dv_from_the_first_stream_only(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, np.outer(dy_hat_t[0], h_t[0])


@wrong("sequence_backward_step", "own output", "dy_hat_t", "never sent back", "delta_t",
       "dh_next only", "@dh_prev")
def s11_sb_dh_prev_without_the_own_output(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    dh_prev = (dh_next * (1 - h_t ** 2)) @ W  # the later steps' part only
    return g, delta, dh_prev, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s11_right_sequence_by_einsum_and_subtract(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + np.einsum("no,oh->nh", dy_hat_t, V)
    delta = g - g * h_t * h_t
    return g, delta, np.einsum("nh,hk->nk", delta, W), np.einsum("no,nh->oh", dy_hat_t, h_t)


@wrong("temperature_probabilities", "mean", "largest score", "max", "overflow", "inf", "NaN",
       "@exp(", "@scores")
def s11_tp_mean_score_subtracted(y_hat, temperature):
    e = np.exp((y_hat - y_hat.mean(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "clamp", "max(temperature", "small temperature", "T = 0.05",
       "0.1", "temperature", "@scores", "@exp(")
def s11_tp_temperature_clamped_from_below(y_hat, temperature):
    T = max(temperature, 0.1)  # "to avoid overflow"
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / T)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "parenthes", "precedence", "(y_hat - m) / T", "m / T",
       "ignores the temperature", "temperature", "@exp(", "@scores")
def s11_tp_only_the_largest_score_divided(y_hat, temperature):
    m = y_hat.max(axis=1, keepdims=True)
    e = np.exp(y_hat - m / temperature)
    return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s11_right_temperature_normalised_by_the_l1_norm(y_hat, temperature):
    z = y_hat / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / np.linalg.norm(e, ord=1, axis=1, keepdims=True)


# === set s12: a held-out set written without the checkers' code, tests or messages ==============

SET = "s12"

# --- s12 01 make_windows -------------------------------------------------------------------------


@wrong("make_windows", "ravel", "flatten", "one value", "one row", "channels", "D = 1",
       "series[i : i + T]", "@window 1", "@X")
def s12_mw_windows_slid_over_the_raveled_series(series, T):
    L, D = series.shape
    flat = series.ravel()  # "a 1-D signal is easier to slide over"
    N = L - T
    X = np.stack([flat[i:i + T * D] for i in range(N)]).reshape(N, T, D)
    return X, series[T:].copy()


@wrong("make_windows", "list", "np.array(", "np.stack(", "ndarray", "arrays", "@X", "@windows")
def s12_mw_windows_returned_as_lists(series, T):
    X, Y = [], []
    for i in range(len(series) - T):
        X.append(series[i:i + T])
        Y.append(series[i + T])
    return X, Y


@wrong("make_windows", "N and T", "swapped", "window length", "T steps", "L - T", "(N, T, D)",
       "@X", "@windows")
def s12_mw_window_count_and_length_swapped(series, T):
    N = len(series) - T
    X = np.stack([series[i:i + N] for i in range(T)])  # T windows of N steps
    Y = np.stack([series[i + N] for i in range(T)])
    return X, Y


@wrong("make_windows", "series[T:]", "series[T - 1", "one target too many", "one step early",
       "series[i + T]", "targets", "@Y", "@target")
def s12_mw_targets_sliced_from_t_minus_one(series, T):
    X = np.stack([series[i:i + T] for i in range(len(series) - T)])
    Y = series[T - 1:].copy()  # "the target of window 0 sits at T - 1"
    return X, Y


@right("make_windows")
def s12_right_windows_from_a_rolling_deque(series, T):
    from collections import deque
    window: deque = deque(maxlen=T)
    X, Y = [], []
    for row in series:
        if len(window) == T:
            X.append(np.array(window))
            Y.append(np.array(row))
        window.append(row)
    D = series.shape[1]
    return np.array(X, dtype=float).reshape(-1, T, D), np.array(Y, dtype=float).reshape(-1, D)


# --- s12 02 forward_step -------------------------------------------------------------------------

_S12_STEP_BUFFERS: dict = {}  # one output array per shape, made once


@wrong("forward_step", "same array", "buffer", "reused", "out=", "new array", "previous call",
       "overwrit", "@output", "@h_t")
def s12_fs_result_written_into_a_reused_buffer(x_t, h_prev, U, W, b):
    shape = (x_t.shape[0], W.shape[0])
    if shape not in _S12_STEP_BUFFERS:
        _S12_STEP_BUFFERS[shape] = np.empty(shape)
    return np.tanh(x_t @ U.T + h_prev @ W.T + b, out=_S12_STEP_BUFFERS[shape])


@wrong("forward_step", "1.7159", "scaled tanh", "LeCun", "2/3", "2 / 3", "tanh", "@tanh",
       "@nonlinearity", "@output")
def s12_fs_lecun_scaled_tanh(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return 1.7159 * np.tanh(2 / 3 * a)  # "the recommended tanh"


@wrong("forward_step", "softsign", "1 + |a|", "np.abs", "tanh", "@tanh", "@nonlinearity",
       "@output")
def s12_fs_softsign_for_tanh(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return a / (1 + np.abs(a))  # "a cheaper tanh"


@wrong("forward_step", "b[:, None]", "(H, 1)", "column", "broadcast", "records", "bias",
       "@bias b", "@output")
def s12_fs_columns_with_the_bias_as_a_row(x_t, h_prev, U, W, b):
    a = U @ x_t.T + W @ h_prev.T + b  # (H, N) + (H,): b runs along the records
    return np.tanh(a).T


@right("forward_step")
def s12_right_step_by_broadcast_sums(x_t, h_prev, U, W, b):
    a = (x_t[:, None, :] * U[None]).sum(axis=2) + (h_prev[:, None, :] * W[None]).sum(axis=2)
    return np.tanh(a + b)


# --- s12 02 rnn_forward --------------------------------------------------------------------------


@wrong("rnn_forward", "default", "states=[]", "mutable", "between calls", "previous call",
       "fresh list", "@states", "@states[0]")
def s12_rf_states_list_as_a_default_argument(X, U, W, V, b, c, states=[]):  # noqa: B006
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states.append(h)
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.array(states)


@wrong("rnn_forward", "return", "indent", "inside the loop", "T steps", "one step",
       "@states", "@Y_hat", "@step", "@states[2]")
def s12_rf_returns_inside_the_time_loop(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for t in range(T):
        states[t + 1] = my.forward_step(X[:, t], states[t], U, W, b)
        return states[t + 1] @ V.T + c, states  # one indent too deep
    return states[T] @ V.T + c, states


@wrong("rnn_forward", "V.shape[0]", "V.shape[1]", "W.shape[0]", "H", "O", "(N, H)",
       "np.zeros((N, H))", "@h_0", "@states[0]")
def s12_rf_hidden_size_from_the_readout(X, U, W, V, b, c):
    N, T, _ = X.shape
    H = V.shape[0]  # V is (O, H): this is O
    h = np.zeros((N, H))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "X[:, t]", "prediction", "fed back", "input at step t", "autoregress",
       "own output", "@states[2]", "@step")
def s12_rf_prediction_fed_back_as_the_input(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    x = X[:, 0]
    for _ in range(T):
        h = my.forward_step(x, h, U, W, b)
        states.append(h)
        x = h @ V.T + c  # "the next input is this step's prediction"
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def s12_right_forward_over_time_major_slices(X, U, W, V, b, c):
    h = np.zeros((X.shape[0], W.shape[0]))
    states = [h]
    for x_t in np.moveaxis(X, 1, 0):
        h = np.tanh(np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", h, W) + b)
        states.append(h)
    return np.einsum("nh,oh->no", h, V) + c, np.stack(states)


# --- s12 03 mse_loss -----------------------------------------------------------------------------


@wrong("mse_loss", "list", "np.array(", "array", "(N, O)", "ndarray", "@dY_hat")
def s12_ml_gradient_built_as_a_list_of_rows(Y_hat, Y):
    N = len(Y)
    L = 0.0
    dY_hat = []
    for y_hat_n, y_n in zip(Y_hat, Y, strict=True):
        e = y_hat_n - y_n
        L += 0.5 * float(e @ e) / N
        dY_hat.append(e / N)
    return L, dY_hat


@wrong("mse_loss", "Y[:, None]", "broadcast", "(N, N", "shape", "Y as it is", "@errors", "@L")
def s12_ml_targets_given_a_new_axis(Y_hat, Y):
    e = Y_hat - Y[:, None]  # "in case Y is 1-D"
    N = len(Y)
    return 0.5 * float(np.sum(e ** 2)) / N, e / N


@wrong("mse_loss", "Huber", "smooth", "delta", "square", "(Y_hat - Y)**2", "@L", "@loss",
       "@dY_hat")
def s12_ml_huber_loss(Y_hat, Y):
    e = Y_hat - Y
    a = np.abs(e)
    per = np.where(a <= 1.0, 0.5 * e ** 2, a - 0.5)  # "robust to outliers"
    return float(per.sum()) / len(Y), np.clip(e, -1.0, 1.0) / len(Y)


@wrong("mse_loss", "clip", "np.clip", "Y_hat as it is", "predictions", "[-1, 1]", "@L",
       "@errors")
def s12_ml_predictions_clipped_to_the_tanh_range(Y_hat, Y):
    e = np.clip(Y_hat, -1.0, 1.0) - Y  # "the targets lie in [-1, 1]"
    N = len(Y)
    return 0.5 * float(np.sum(e ** 2)) / N, e / N


@right("mse_loss")
def s12_right_loss_by_tensordot(Y_hat, Y):
    e = np.subtract(Y_hat, Y)
    N = e.shape[0]
    return float(np.tensordot(e, e, axes=2)) / (2 * N), np.true_divide(e, N)


# --- s12 03 backward_step ------------------------------------------------------------------------


@wrong("backward_step", "ReLU", "h_t > 0", "1 - h_t**2", "tanh'", "derivative", "@delta_t",
       "@derivative")
def s12_bs_relu_derivative(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (h_t > 0)  # the derivative from the ReLU tutorial
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "default", "mutable", "between calls", "previous call", "accumulat",
       "+=", "this step's", "@dU_t", "@dW_t")
def s12_bs_shares_accumulated_in_a_default_argument(dh_t, h_t, h_prev, x_t, W, acc={}):  # noqa: B006
    delta = dh_t * (1 - h_t ** 2)
    key = (x_t.shape[1], W.shape[0])
    if key not in acc:
        acc[key] = [np.zeros((W.shape[0], x_t.shape[1])), np.zeros_like(W),
                    np.zeros(W.shape[0])]
    acc[key][0] += delta.T @ x_t
    acc[key][1] += delta.T @ h_prev
    acc[key][2] += delta.sum(axis=0)
    return delta, delta @ W, acc[key][0].copy(), acc[key][1].copy(), acc[key][2].copy()


@wrong("backward_step", "clip", "np.clip", "delta_t", "exploding", "dh_t * (1 - h_t**2)",
       "@delta_t")
def s12_bs_delta_clipped(dh_t, h_t, h_prev, x_t, W):
    delta = np.clip(dh_t * (1 - h_t ** 2), -1.0, 1.0)  # "against exploding gradients"
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "h_t @ h_t.T", "h_t**2", "elementwise", "matrix product", "square",
       "@delta_t", "@derivative")
def s12_bs_square_as_a_matrix_product(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t @ h_t.T)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@right("backward_step")
def s12_right_step_with_factored_derivative(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t) * (1 + h_t)
    return (delta, np.dot(delta, W), np.dot(delta.T, x_t), np.dot(delta.T, h_prev),
            np.add.reduce(delta, axis=0))


# --- s12 03 bptt ---------------------------------------------------------------------------------


def _s12_bptt(dY_hat, X, states, W, V, k, cap=True, bias_like_state=False, carry_add=False):
    T = X.shape[1]
    H, D = W.shape[0], X.shape[2]
    dU, dW = np.zeros((H, D)), np.zeros((H, H))
    db = np.zeros_like(states[0]) if bias_like_state else np.zeros(H)
    dh = dY_hat @ V
    stop = max(T - k, 0) if cap else T - k
    for t in range(T, stop, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        if carry_add:
            dh += delta @ W
        else:
            dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


# written as a slip, but notebook 03 defines the exercise for 1 <= k <= T, where this answer is
# right (its own solution does not cap the window either): counted with the correct answers
@right("bptt")
def s12_bp_window_not_capped_at_t(dY_hat, X, states, W, V, k):
    return _s12_bptt(dY_hat, X, states, W, V, k, cap=False)


@wrong("bptt", "in place", "/=", "dY_hat", "changed its input dY_hat", "1/N", "divided by N",
       "already", "@dV", "@dh_T")
def s12_bp_error_divided_in_place(dY_hat, X, states, W, V, k):
    dY_hat /= len(dY_hat)  # "the loss is a mean over the records"
    return _s12_bptt(dY_hat, X, states, W, V, k)


@wrong("bptt", "zeros_like(states[0])", "(N, H)", "(H,)", "db", "shape", "broadcast", "@db")
def s12_bp_bias_accumulator_shaped_like_a_state(dY_hat, X, states, W, V, k):
    return _s12_bptt(dY_hat, X, states, W, V, k, bias_like_state=True)


@wrong("bptt", "+=", "dh = delta_t @ W", "accumulat", "dh_prev", "passed back", "@dh_prev",
       "@step T - 1", "@k = 2")
def s12_bp_error_accumulated_across_steps(dY_hat, X, states, W, V, k):
    return _s12_bptt(dY_hat, X, states, W, V, k, carry_add=True)


@wrong("bptt", "ravel", "N = 1", "sum over the records", "delta.sum(axis=0)", "records", "@db")
def s12_bp_bias_share_raveled_for_one_record(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W), np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in range(T, max(T - k, 0), -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.ravel()  # (1, H) -> (H,) for the notebook's one record
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def s12_right_bptt_from_stacked_deltas(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    steps = range(T, max(T - k, 0), -1)
    deltas = []
    dh = dY_hat @ V
    for t in steps:
        delta = dh * (1 - states[t] ** 2)
        deltas.append(delta)
        dh = delta @ W
    Dl = np.array(deltas)                                  # (k', N, H)
    Xs = np.array([X[:, t - 1] for t in steps])            # (k', N, D)
    Hs = np.array([states[t - 1] for t in steps])          # (k', N, H)
    dU = np.einsum("snh,snd->hd", Dl, Xs) if deltas else np.zeros((W.shape[0], X.shape[2]))
    dW = np.einsum("snh,snk->hk", Dl, Hs) if deltas else np.zeros_like(W)
    db = Dl.sum(axis=(0, 1)) if deltas else np.zeros(W.shape[0])
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


# --- s12 03 numerical_gradient -------------------------------------------------------------------


@wrong("numerical_gradient", "random", "sample", "every entry", "zero", "some entries",
       "num_checks", "@entry")
def s12_ng_checks_a_random_sample_of_entries(f, x, eps=1e-6, num_checks=5):
    rng = np.random.default_rng(0)  # "checking a few entries is enough"
    grad = np.zeros_like(x)
    for _ in range(num_checks):
        idx = tuple(int(rng.integers(m)) for m in x.shape)
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "counter", "i += 1", "shifted", "one entry", "IndexError",
       "enumerate", "@entry 0", "@entry")
def s12_ng_flat_counter_incremented_before_storing(f, x, eps=1e-6):
    grad = np.zeros(x.size)
    i = 0
    for idx in np.ndindex(x.shape):
        i += 1  # meant after the store
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad.reshape(x.shape)


@wrong("numerical_gradient", "old", "stale", "saved", "first entry", "left changed",
       "x[idx]", "inside the loop", "@entry 1", "@x")
def s12_ng_saved_value_read_once_before_the_loop(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    old = x.flat[0]  # meant to be read inside the loop
    for idx in np.ndindex(x.shape):
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "len(x)", "square", "x.shape[1]", "columns", "(H, 1)", "(1, H)",
       "1-D", "IndexError", "@entry")
def s12_ng_double_loop_over_len_x(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    n = len(x)  # W is n by n
    for i in range(n):
        for j in range(n):
            old = x[i, j]
            x[i, j] = old + eps
            fp = f()
            x[i, j] = old - eps
            fm = f()
            x[i, j] = old
            grad[i, j] = (fp - fm) / (2 * eps)
    return grad


@right("numerical_gradient")
def s12_right_gradient_by_put_and_take(f, x, eps=1e-6):
    grad = np.zeros(x.size)
    for i in range(x.size):
        old = x.take(i)
        np.put(x, i, old + eps)
        fp = f()
        np.put(x, i, old - eps)
        fm = f()
        np.put(x, i, old)
        grad[i] = (fp - fm) / (2 * eps)
    return grad.reshape(x.shape)


# --- s12 04 clip_gradients -----------------------------------------------------------------------


@wrong("clip_gradients", "separately", "groups", "matrices", "biases", "one global norm",
       "every array", "one factor", "@factor", "@norm")
def s12_cg_matrices_and_biases_clipped_separately(grads, threshold):
    def factor(group):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in group))
        return threshold / norm if norm > threshold else 1.0
    f_mat = factor([g for g in grads if g.ndim == 2])
    f_vec = factor([g for g in grads if g.ndim != 2])
    return [g * (f_mat if g.ndim == 2 else f_vec) for g in grads]


@wrong("clip_gradients", "list", "TypeError", "sequence", "[g * factor for g in grads]",
       "each array", "@factor", "@array")
def s12_cg_list_multiplied_by_the_factor(grads, threshold):
    import math
    norm = math.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    if norm > threshold:
        return grads * (threshold / norm)  # a list times a float
    return grads


@wrong("clip_gradients", "+=", "last array", "every array", "sum of squares", "all arrays",
       "@norm")
def s12_cg_squares_assigned_not_added(grads, threshold):
    total = 0.0
    for g in grads:
        total = np.sum(g ** 2)  # meant +=
    norm = np.sqrt(total)
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "threshold", "hard-coded", "argument", "5.0", "ignores", "@factor",
       "@threshold")
def s12_cg_threshold_from_the_notebook(grads, threshold):
    THRESHOLD = 5.0  # the notebook's value
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    factor = THRESHOLD / norm if norm > THRESHOLD else 1.0
    return [g * factor for g in grads]


@right("clip_gradients")
def s12_right_clip_by_fsum_of_squares(grads, threshold):
    import math
    norm = math.sqrt(math.fsum(float(v) ** 2 for g in grads for v in np.ravel(g)))
    if norm <= threshold:
        return [np.array(g, dtype=float) for g in grads]
    return [np.array(g, dtype=float) * (threshold / norm) for g in grads]


# --- s12 05 train_rnn ----------------------------------------------------------------------------


@wrong("train_rnn", "range", "len(params) - 1", "c", "did not change", "every parameter",
       "@update of c", "@c")
def s12_tr_update_loop_one_short(params, X, Y, learning_rate, epochs, threshold, k):
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*trained, X, Y, k), threshold)
        for i in range(len(trained) - 1):
            trained[i] = trained[i] - learning_rate * grads[i]
    return trained


@wrong("train_rnn", "clip_gradients", "dY_hat", "clipped", "parameter gradients", "np.clip",
       "@clip", "@update")
def s12_tr_clips_the_error_not_the_gradients(params, X, Y, learning_rate, epochs, threshold,
                                              k):
    U, W, V, b, c = (p.copy() for p in params)
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        dY = np.clip(dY, -threshold, threshold)  # "clip before it explodes"
        dU, dW, dV, db, dc = my.bptt(dY, X, states, W, V, k)
        U, W, V, b, c = (U - learning_rate * dU, W - learning_rate * dW,
                         V - learning_rate * dV, b - learning_rate * db,
                         c - learning_rate * dc)
    return [U, W, V, b, c]


@wrong("train_rnn", "k", "shadow", "enumerate", "loop variable", "truncation", "@epoch 1",
       "@bptt", "@epoch")
def s12_tr_k_reused_as_a_loop_variable(params, X, Y, learning_rate, epochs, threshold, k):
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*trained, X, Y, k), threshold)
        for k, g in enumerate(grads):
            trained[k] = trained[k] - learning_rate * g
    return trained


@wrong("train_rnn", "X", "standardis", "normalis", "as it is", "mean", "std", "@forward",
       "@epoch 0")
def s12_tr_inputs_standardised_first(params, X, Y, learning_rate, epochs, threshold, k):
    X = (X - X.mean()) / X.std()  # "always standardise the inputs"
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        grads = my.clip_gradients(_epoch(*trained, X, Y, k), threshold)
        trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
    return trained


@right("train_rnn")
def s12_right_training_by_reduce(params, X, Y, learning_rate, epochs, threshold, k):
    from functools import reduce

    def one_epoch(p, _):
        g = my.clip_gradients(_epoch(*p, X, Y, k), threshold)
        return [a - learning_rate * d for a, d in zip(p, g, strict=True)]
    return reduce(one_epoch, range(epochs), [np.array(p, dtype=float) for p in params])


# --- s12 08 gru_step -----------------------------------------------------------------------------


@wrong("gru_step", "order", "r, z, n", "candidate", "W[H:2*H]", "U[2*H:]", "blocks",
       "@update gate", "@candidate", "@z")
def s12_gs_candidate_block_taken_from_the_middle(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r_, n_, z_ = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)  # "r, n, z"
    r = sigmoid(x_t @ U[r_].T + h_prev @ W[r_].T + b[r_])
    z = sigmoid(x_t @ U[z_].T + h_prev @ W[z_].T + b[z_])
    n = np.tanh(x_t @ U[n_].T + b[n_] + r * (h_prev @ W[n_].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "hard sigmoid", "hard_sigmoid", "0.2", "clip", "sigmoid", "Keras",
       "@reset gate", "@r", "@gates")
def s12_gs_hard_sigmoid_gates(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    a = x_t @ U.T + b
    s = h_prev @ W.T
    gate = np.clip(0.2 * (a[:, :2 * H] + s[:, :2 * H]) + 0.5, 0.0, 1.0)  # Keras' old default
    r, z = gate[:, :H], gate[:, H:]
    n = np.tanh(a[:, 2 * H:] + r * (s[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "r *", "reset gate", "inside the tanh", "after the tanh",
       "r * (h_prev @ W_n.T + b_n)", "@candidate", "@candidate n")
def s12_gs_reset_applied_after_the_tanh(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = r * np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + h_prev @ W[2 * H:].T + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "1 - z", "(1 - z) * n", "mix", "interpolat", "@mix", "@h_t",
       "@update gate")
def s12_gs_candidate_added_without_one_minus_z(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return n + z * h_prev


@right("gru_step")
def s12_right_gru_with_stacked_gate_blocks(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    Ug, Wg, bg = U.reshape(3, H, -1), W.reshape(3, H, H), b.reshape(3, 1, H)
    a = np.einsum("nd,ghd->gnh", x_t, Ug) + bg
    s = np.einsum("nk,ghk->gnh", h_prev, Wg)
    r, z = 1 / (1 + np.exp(-(a[:2] + s[:2])))
    n = np.tanh(a[2] + r * (s[2] + b_n))
    return z * h_prev + (1 - z) * n


# --- s12 08 gru_step_backward --------------------------------------------------------------------


def _s12_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dW_n_reset_wrong_side=False,
                  blocks_transposed=False, dsig_at_pre_activation=False, averaged=False):
    H = len(b_n)
    gx = x_t @ U.T + b
    gh = h_prev @ W.T
    a_r, a_z = gx[:, :H] + gh[:, :H], gx[:, H:2 * H] + gh[:, H:2 * H]
    r, z = sigmoid(a_r), sigmoid(a_z)
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    s_r, s_z = (a_r, a_z) if dsig_at_pre_activation else (r, z)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * s_z * (1 - s_z)
    dm = da_n * r
    da_r = da_n * m * s_r * (1 - s_r)
    Wr, Wz, Wn = W[:H], W[H:2 * H], W[2 * H:]
    if blocks_transposed:
        dh_prev = dh_t * z + da_r @ Wr.T + da_z @ Wz.T + dm @ Wn.T
    else:
        dh_prev = dh_t * z + da_r @ Wr + da_z @ Wz + dm @ Wn
    dU = np.vstack([da_r.T @ x_t, da_z.T @ x_t, da_n.T @ x_t])
    dW_n = da_n.T @ (r * h_prev) if dW_n_reset_wrong_side else dm.T @ h_prev
    dW = np.vstack([da_r.T @ h_prev, da_z.T @ h_prev, dW_n])
    db = np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)])
    db_n = dm.sum(0)
    if averaged:
        N = len(dh_t)
        dU, dW, db, db_n = dU / N, dW / N, db / N, db_n / N
    return dh_prev, dU, dW, db, db_n


@wrong("gru_step_backward", "dm.T @ h_prev", "r * h_prev", "dm", "reset gate", "W_n",
       "@dW", "@candidate")
def s12_gb_candidate_block_of_dw_with_the_reset_on_the_state(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s12_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dW_n_reset_wrong_side=True)


@wrong("gru_step_backward", "transpos", "W.T", "W_r", "@ W_r", "blocks", "@dh_prev")
def s12_gb_error_passed_back_through_transposed_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s12_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, blocks_transposed=True)


@wrong("gru_step_backward", "z * (1 - z)", "r * (1 - r)", "pre-activation", "sigmoid",
       "derivative", "gate value", "@da_z", "@update gate", "@reset gate", "@da_r")
def s12_gb_sigmoid_derivative_at_the_pre_activations(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s12_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, dsig_at_pre_activation=True)


@wrong("gru_step_backward", "mean", "divided by N", "averaged", "sum over the records",
       "records", "@dU", "@db")
def s12_gb_parameter_gradients_averaged_over_records(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s12_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, averaged=True)


@right("gru_step_backward")
def s12_right_gru_backward_record_by_record(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    dh_prev = np.zeros_like(h_prev)
    dU, dW, db, db_n = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b_n)
    for i in range(len(x_t)):
        x, h, d = x_t[i], h_prev[i], dh_t[i]
        gx, gh = U @ x + b, W @ h
        r = 1 / (1 + np.exp(-(gx[:H] + gh[:H])))
        z = 1 / (1 + np.exp(-(gx[H:2 * H] + gh[H:2 * H])))
        m = gh[2 * H:] + b_n
        n = np.tanh(gx[2 * H:] + r * m)
        d_n = d * (1 - z) * (1 - n * n)
        d_z = d * (h - n) * z * (1 - z)
        d_m = d_n * r
        d_r = d_n * m * r * (1 - r)
        to_u = np.concatenate([d_r, d_z, d_n])
        to_w = np.concatenate([d_r, d_z, d_m])
        dh_prev[i] = d * z + W.T @ to_w
        dU += np.outer(to_u, x)
        dW += np.outer(to_w, h)
        db += to_u
        db_n += d_m
    return dh_prev, dU, dW, db, db_n


# --- s12 09 sequence_backward_step ---------------------------------------------------------------


@wrong("sequence_backward_step", "dh_next", "zero", "last step", "top step", "delta_t @ W",
       "passed back", "early", "@dh_prev")
def s12_sb_top_step_passes_nothing_back(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    if not dh_next.any():  # "nothing flows back from the last step"
        return g, delta, np.zeros_like(dh_next), dy_hat_t.T @ h_t
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "divided by N", "1/N", "already", "dy_hat_t", "own output",
       "mean", "@g_t", "@own output")
def s12_sb_own_output_divided_by_the_records(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + (dy_hat_t / len(dy_hat_t)) @ V  # "the loss is a mean over records"
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "(H, N)", "transpose", "columns", "dy_hat_t @ V",
       "V.T @ dy_hat_t.T", "@g_t", "@own output")
def s12_sb_own_output_as_columns(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + V.T @ dy_hat_t.T  # column convention, not transposed back
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "V", "W", "delta_t @ W", "readout", "recurrent weights",
       "dh_prev", "@dh_prev")
def s12_sb_passed_back_through_the_readout(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ V.T @ V, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s12_right_sequence_record_by_record(dh_next, dy_hat_t, h_t, W, V):
    g, delta, dh_prev = (np.empty_like(dh_next) for _ in range(3))
    dV = np.zeros_like(V)
    for i in range(len(h_t)):
        g[i] = dh_next[i] + V.T @ dy_hat_t[i]
        delta[i] = g[i] * (1 - h_t[i] ** 2)
        dh_prev[i] = W.T @ delta[i]
        dV += np.outer(dy_hat_t[i], h_t[i])
    return g, delta, dh_prev, dV


# --- s12 09 temperature_probabilities ------------------------------------------------------------


@wrong("temperature_probabilities", "sum", "normalis", "sum to 1", "e.sum(axis=1",
       "divide", "@normalisation", "@probabilities")
def s12_tp_exponentials_never_normalised(y_hat, temperature):
    return np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)


@wrong("temperature_probabilities", "last row", "range(N)", "range(len(y_hat) - 1)", "loop",
       "every row", "@row", "@rows")
def s12_tp_row_loop_one_short(y_hat, temperature):
    p = np.zeros_like(y_hat)
    for i in range(len(y_hat) - 1):
        e = np.exp((y_hat[i] - y_hat[i].max()) / temperature)
        p[i] = e / e.sum()
    return p


@wrong("temperature_probabilities", "log", "np.log", "scores", "probabilities", "NaN",
       "negative", "@scores", "@exp(")
def s12_tp_log_of_the_scores(y_hat, temperature):
    a = np.log(y_hat) / temperature  # the text-generation recipe, for probabilities
    e = np.exp(a - np.nanmax(a, axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "top", "top-k", "largest", "every score", "zero",
       "every output", "@probabilities", "@scores")
def s12_tp_only_the_top_three_scores_kept(y_hat, temperature):
    z = y_hat / temperature
    cut = np.sort(z, axis=1)[:, -3][:, None]  # "top-k sampling", k = 3
    z = np.where(z >= cut, z, -np.inf)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s12_right_temperature_row_by_row_with_apply(y_hat, temperature):
    def row(v):
        e = np.exp((v - v.max()) / temperature)
        return e / e.sum()
    return np.apply_along_axis(row, 1, np.asarray(y_hat, dtype=float))


# === set s13: written without reading the checkers, their tests or their messages; probes slips
# that no earlier set has (aliasing, stale state, D = 1 / O = 1 / N = 1 only code, Python slips)

SET = "s13"


@wrong("make_windows", "N and T", "T windows", "L - T", "(N, T, D)", "window length", "@X",
       "@windows")
def s13_mw_window_count_and_length_swapped(series, T):
    L = len(series)
    N = L - T
    X = np.stack([series[i:i + N] for i in range(T)])  # T windows of N values
    Y = series[T:]
    return X, Y


@wrong("make_windows", "D = 1", "reshape", "one channel", "channel axis", "(N, T, 1)",
       "channels", "@X", "@windows")
def s13_mw_reshaped_to_one_channel(series, T):
    N = len(series) - T
    X = np.array([series[i:i + T] for i in range(N)]).reshape(N, T, 1)
    Y = series[T:].reshape(N, 1)
    return X, Y


@wrong("make_windows", "list", "numpy array", "np.array", "np.stack", "ndarray", "@X", "@windows")
def s13_mw_returns_python_lists(series, T):
    X, Y = [], []
    for i in range(len(series) - T):
        X.append(series[i:i + T])
        Y.append(series[i + T])
    return X, Y


@wrong("make_windows", "one value", "length 1", "T values", "window of", "zip", "series[i : i + T]",
       "lag", "@X", "@window 0", "@windows")
def s13_mw_zip_pairs_each_value_with_its_target(series, T):
    pairs = list(zip(series[:-T], series[T:], strict=True))  # value i and value i + T
    X = np.array([p[0] for p in pairs])[:, None, :]
    Y = np.array([p[1] for p in pairs])
    return X, Y


@right("make_windows")
def s13_right_windows_filled_one_time_step_at_a_time(series, T):
    L, D = series.shape
    N = L - T
    X = np.zeros((N, T, D))
    for t in range(T):
        X[:, t] = series[t:t + N]  # step t of every window
    return X, series[T:].copy()


_S13_FS_OUT: dict = {}  # one output buffer per shape, "to save allocations"


@wrong("forward_step", "same array", "buffer", "every call", "overwritten", "copy", "aliased",
       "reused", "@output", "@tanh")
def s13_fs_returns_one_reused_output_buffer(x_t, h_prev, U, W, b):
    key = (x_t.shape[0], W.shape[0])
    out = _S13_FS_OUT.setdefault(key, np.empty(key))
    np.tanh(x_t @ U.T + h_prev @ W.T + b, out=out)
    return out  # the same array at every call


@wrong("forward_step", "reshape", "transpose", "U.T", "D = 1", "x_t @ U.T", "channels",
       "@input's part", "@x_t @ U.T")
def s13_fs_u_reshaped_instead_of_transposed(x_t, h_prev, U, W, b):
    H, D = U.shape
    return np.tanh(x_t @ U.reshape(D, H) + h_prev @ W.T + b)


@wrong("forward_step", "normalis", "norm", "unit length", "@output", "@tanh")
def s13_fs_state_normalised_per_record(x_t, h_prev, U, W, b):
    h = np.tanh(x_t @ U.T + h_prev @ W.T + b)
    return h / np.linalg.norm(h, axis=1, keepdims=True)  # "keeps the state from growing"


@wrong("forward_step", "U.shape[1]", "buffer", "(N, D)", "size", "@output", "@record")
def s13_fs_buffer_sized_from_the_columns_of_u(x_t, h_prev, U, W, b):
    N = x_t.shape[0]
    h = np.empty((N, U.shape[1]))  # meant H
    for n in range(N):
        h[n] = np.tanh(U @ x_t[n] + W @ h_prev[n] + b)
    return h


@right("forward_step")
def s13_right_step_from_one_concatenated_product(x_t, h_prev, U, W, b):
    joint = np.concatenate([U, W], axis=1)  # (H, D + H)
    return np.tanh(np.concatenate([x_t, h_prev], axis=1) @ joint.T + b)


@wrong("rnn_forward", "default", "states=[]", "mutable", "previous call", "between calls",
       "kept", "first call", "@states", "@states[0]")
def s13_rf_states_list_as_a_default_argument(X, U, W, V, b, c, states=[]):  # noqa: B006
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states.append(h)
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "return", "inside the loop", "indent", "one step", "first step", "loop",
       "@states", "@step", "@Y_hat")
def s13_rf_return_indented_into_the_loop(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
        return h @ V.T + c, np.stack(states)
    return None


@wrong("rnn_forward", "copy()", "parenthes", "method", "copy", "append", "h.copy",
       "@states")
def s13_rf_copy_without_parentheses(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h.copy()]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h.copy)  # the bound method, not the array
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "X.shape[-1]", "X.shape[2]", "channels", "D = 1", "one step", "steps",
       "@states", "@step", "@Y_hat")
def s13_rf_steps_counted_from_the_channels(X, U, W, V, b, c):
    T = X.shape[-1]  # meant X.shape[1]
    h = np.zeros((X.shape[0], W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def s13_right_forward_over_the_time_major_inputs(X, U, W, V, b, c):
    h = np.zeros((X.shape[0], len(b)))
    states = [h]
    for x_t in np.moveaxis(X, 1, 0):  # (T, N, D): one (N, D) slice per step
        h = np.tanh(x_t @ U.T + h @ W.T + b)
        states.append(h)
    return np.dot(h, V.T) + c, np.array(states)


@wrong("mse_loss", "broadcast", "(N,)", "(N, N)", "Y_hat[:, 0]", "flattened", "(N, 1)", "@L",
       "@dY_hat", "@errors")
def s13_ml_column_minus_a_flat_prediction(Y_hat, Y):
    N = len(Y)
    diff = Y_hat[:, 0] - Y  # (N,) - (N, O)
    return float(np.sum(diff ** 2) / (2 * N)), diff / N


@wrong("mse_loss", "list", "numpy array", "ndarray", "np.array", "@dY_hat")
def s13_ml_gradient_built_as_a_python_list(Y_hat, Y):
    N = Y.shape[0]
    L = 0.0
    grad = []
    for n in range(N):
        d = Y_hat[n] - Y[n]
        L += float(d @ d) / (2 * N)
        grad.append(d / N)
    return L, grad


@wrong("mse_loss", "Y.shape[0]", "tuple", "N =", "records", "Y.shape", "@L", "@loss", "@line of L",
       "@dY_hat")
def s13_ml_shape_tuple_for_n(Y_hat, Y):
    N = Y.shape  # meant Y.shape[0]
    diff = Y_hat - Y
    return np.sum(diff ** 2) / (2 * N), diff / N


@wrong("mse_loss", "two values", "(L, dY_hat)", "gradient", "tuple", "return", "one value",
       "only the loss", "@dY_hat", "@L")
def s13_ml_returns_the_loss_alone(Y_hat, Y):
    N = Y.shape[0]
    return float(np.sum((Y_hat - Y) ** 2)) / (2 * N)


@right("mse_loss")
def s13_right_loss_by_inner_products_of_the_columns(Y_hat, Y):
    N = Y.shape[0]
    E = Y_hat - Y
    L = sum(float(np.inner(E[:, o], E[:, o])) for o in range(E.shape[1])) / (2 * N)
    return L, np.divide(E, N)


@wrong("backward_step", "D = 1", "channels", "x_t", "delta_t.T @ x_t", "one channel",
       "broadcast", "@dU_t")
def s13_bs_input_share_written_for_one_channel(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dU = (delta * x_t).sum(axis=0)[:, None]  # (H, 1): right only when D = 1
    return delta, delta @ W, dU, delta.T @ h_prev, delta.sum(axis=0)


_S13_BS_TOTALS: dict = {}  # the shares added up here, "ready for BPTT"


@wrong("backward_step", "between calls", "previous call", "accumulat", "kept", "global",
       "first call", "+=", "@dU_t", "@dW_t", "@db_t")
def s13_bs_shares_added_to_module_level_totals(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    for name, share in (("dU", delta.T @ x_t), ("dW", delta.T @ h_prev),
                        ("db", delta.sum(axis=0))):
        _S13_BS_TOTALS[name] = _S13_BS_TOTALS.get(name, 0) + share
    return (delta, delta @ W, _S13_BS_TOTALS["dU"], _S13_BS_TOTALS["dW"],
            _S13_BS_TOTALS["db"])


@wrong("backward_step", "len(W)", "records", "H records", "loop", "range(", "every record", "@dU_t",
       "@dW_t", "@db_t", "@record")
def s13_bs_record_loop_over_len_w(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dU = np.zeros((W.shape[0], x_t.shape[1]))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    for n in range(len(W)):  # meant len(delta): the records
        dU += np.outer(delta[n], x_t[n])
        dW += np.outer(delta[n], h_prev[n])
        db += delta[n]
    return delta, delta @ W, dU, dW, db


@wrong("backward_step", "row vector", "convention", "W.T", "transpose", "delta_t @ W",
       "h_prev.T @ delta_t", "@dh_prev", "@dW_t", "@dU_t")
def s13_bs_row_vector_convention_throughout(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    # as for h_t = tanh(x_t U + h_prev W + b) of the row-vector tutorials
    return delta, delta @ W.T, x_t.T @ delta, h_prev.T @ delta, delta.sum(axis=0)


@right("backward_step")
def s13_right_step_with_the_factored_derivative(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t) * (1 + h_t)
    dU = sum(np.outer(d, x) for d, x in zip(delta, x_t, strict=True))
    dW = sum(np.outer(d, h) for d, h in zip(delta, h_prev, strict=True))
    return delta, (W.T @ delta.T).T, dU, dW, np.ones(len(delta)) @ delta


@wrong("bptt", "D = 1", "broadcast", "(H, H)", "X[:, t - 1, 0]", "channel", "(H, D)", "@dU")
def s13_bp_input_share_from_a_flat_channel_broadcast(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros_like(W), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU = dU + delta.T @ X[:, t - 1, 0]  # (H, D) + (H,): broadcasts to (H, H)
        dW = dW + delta.T @ states[t - 1]
        db = db + delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "-0", "X[:, -t]", "X[:, 0]", "negative", "first input", "x_T", "@dU", "@step T",
       "@first step back")
def s13_bp_negative_index_minus_zero(dY_hat, X, states, W, V, k):
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros_like(W), np.zeros(H)
    g = dY_hat @ V
    for j in range(k):  # j steps back from the end
        _, g, dU_t, dW_t, db_t = my.backward_step(g, states[-j - 1], states[-j - 2],
                                                  X[:, -j], W)  # meant X[:, -j - 1]
        dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
    return dU, dW, dY_hat.T @ states[-1], db, dY_hat.sum(axis=0)


@wrong("bptt", "keepdims", "(1, O)", "(O,)", "2-D", "dc", "row", "@dc")
def s13_bp_dc_kept_as_a_row(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU = np.zeros((W.shape[0], X.shape[2]))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        _, g, dU_t, dW_t, db_t = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0, keepdims=True)


@wrong("bptt", "np.sum", "axis=0", "one number", "scalar", "list", "everything", "@dU", "@dW",
       "@db")
def s13_bp_shares_summed_by_np_sum_without_axis(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dUs, dWs, dbs = [], [], []
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        _, g, dU_t, dW_t, db_t = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dUs.append(dU_t)
        dWs.append(dW_t)
        dbs.append(db_t)
    return (np.sum(dUs), np.sum(dWs), dY_hat.T @ states[T], np.sum(dbs),
            dY_hat.sum(axis=0))


@wrong("bptt", "return", "inside the loop", "indent", "one step", "k = 1", "only the last step",
       "k steps", "@dU", "@dW", "@step T - 1", "@step t = T - 1")
def s13_bp_return_indented_into_the_loop(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU = np.zeros((W.shape[0], X.shape[2]))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        _, g, dU_t, dW_t, db_t = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
        return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)
    return None


@right("bptt")
def s13_right_bptt_with_negative_indices(dY_hat, X, states, W, V, k):
    dU = np.zeros((W.shape[0], X.shape[2]))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V
    for j in range(1, k + 1):  # j = 1: the last step
        delta, g, dU_t, dW_t, db_t = my.backward_step(g, states[-j], states[-j - 1],
                                                      X[:, -j], W)
        dU += dU_t
        dW += dW_t
        db += db_t
    return dU, dW, np.einsum("no,nh->oh", dY_hat, states[-1]), db, dY_hat.sum(axis=0)


S13_STEP = 1e-5  # a notebook cell's step, from an earlier experiment


@wrong("numerical_gradient", "eps", "argument", "global", "1e-5", "10 times", "2 eps", "divide",
       "@quotient", "@difference", "@entry 0", "@entry")
def s13_ng_step_from_a_notebook_variable(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + S13_STEP
        f_plus = f()
        x[i] = saved - S13_STEP
        f_minus = f()
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


@wrong("numerical_gradient", "accumulat", "running", "+=", "reset", "previous entries",
       "every entry", "@entry 1", "@entry", "@difference")
def s13_ng_function_values_summed_over_the_loop(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    f_plus = f_minus = 0.0
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        f_plus += f()
        x[i] = saved - eps
        f_minus += f()
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


@wrong("numerical_gradient", "x.shape[0]", "x.shape[1]", "range", "columns", "loop", "1-D",
       "@entry", "@entries", "@grad")
def s13_ng_both_loops_over_the_first_axis(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[0]):  # meant x.shape[1]
            saved = x[i, j]
            x[i, j] = saved + eps
            f_plus = f()
            x[i, j] = saved - eps
            f_minus = f()
            x[i, j] = saved
            grad[i, j] = (f_plus - f_minus) / (2 * eps)
    return grad


@wrong("numerical_gradient", "grad[i]", "i[0]", "first index", "row", "whole row", "1-D", "2-D",
       "@entry", "@entries", "@grad")
def s13_ng_gradient_stored_at_the_first_index_only(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        f_plus = f()
        x[i] = saved - eps
        f_minus = f()
        x[i] = saved
        grad[i[0]] = (f_plus - f_minus) / (2 * eps)  # a whole row for a matrix
    return grad


@wrong("numerical_gradient", "list", "[[0.0] *", "same list", "rows", "aliased", "* x.shape[0]",
       "every row", "copy", "1-D", "@entry", "@entries", "@grad")
def s13_ng_rows_of_one_list_repeated(f, x, eps=1e-6):
    grad = [[0.0] * x.shape[1]] * x.shape[0]  # every row is the same list
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            saved = x[i, j]
            x[i, j] = saved + eps
            f_plus = f()
            x[i, j] = saved - eps
            f_minus = f()
            x[i, j] = saved
            grad[i][j] = (f_plus - f_minus) / (2 * eps)
    return np.array(grad)


@right("numerical_gradient")
def s13_right_gradient_by_ndenumerate(f, x, eps=1e-6):
    grad = np.empty(x.shape)
    for i, saved in np.ndenumerate(x.copy()):
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (eps + eps)
    return grad


@wrong("clip_gradients", "loop variable", "last array", "grad", "comprehension", "stale",
       "every array", "@array 0", "@array", "@factor")
def s13_cg_comprehension_uses_the_last_loop_variable(grads, threshold):
    total = 0.0
    for grad in grads:
        total += np.sum(grad ** 2)
    norm = np.sqrt(total)
    factor = threshold / norm if norm > threshold else 1.0
    return [grad * factor for g in grads]  # `grad` is the last array of the loop above


@wrong("clip_gradients", "else 0", "zero", "below the threshold", "unchanged", "factor",
       "not clipped", "@factor", "@condition", "@array 0")
def s13_cg_factor_zero_below_the_threshold(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    factor = threshold / norm if norm > threshold else 0
    return [g * factor for g in grads]


@wrong("clip_gradients", "+=", "last array", "assigned", "accumulat", "only the last",
       "every array", "@norm")
def s13_cg_squares_assigned_not_added(grads, threshold):
    squares = 0.0
    for g in grads:
        squares = np.sum(g ** 2)  # meant +=
    norm = np.sqrt(squares)
    if norm > threshold:
        return [g * (threshold / norm) for g in grads]
    return [g.copy() for g in grads]


@wrong("clip_gradients", "iterator", "map", "exhausted", "consumed", "empty", "list(",
       "twice", "generator", "@array 0", "@array")
def s13_cg_map_iterator_consumed_by_the_norm(grads, threshold):
    flat = map(np.ravel, grads)
    norm = np.sqrt(sum(float(v @ v) for v in flat))
    factor = min(1.0, threshold / norm)
    return [v.reshape(g.shape) * factor for v, g in zip(flat, grads, strict=False)]


@wrong("clip_gradients", "normalis", "unit", "below the threshold", "unchanged", "always",
       "divided by the norm", "@factor", "@condition", "@array 0")
def s13_cg_normalised_even_below_the_threshold(grads, threshold):
    norm = np.sqrt(sum(np.vdot(g, g) for g in grads))
    unit = [g / norm for g in grads]
    if norm > threshold:
        return [u * threshold for u in unit]
    return unit


@right("clip_gradients")
def s13_right_clip_by_concatenate_with_axis_none(grads, threshold):
    norm = np.linalg.norm(np.concatenate(grads, axis=None))
    scale = threshold / norm if norm > threshold else 1.0
    return [np.multiply(g, scale) for g in grads]


@wrong("train_rnn", "shuffle", "in place", "targets", "pairs", "X changed", "records", "@epoch",
       "@epoch 0", "@forward")
def s13_tr_records_shuffled_in_place_without_the_targets(params, X, Y, learning_rate, epochs,
                                                          threshold, k):
    rng = np.random.default_rng(0)
    U, W, V, b, c = params
    for _ in range(epochs):
        rng.shuffle(X)  # shuffles the records of X only, and the caller's X
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        dU, dW, dV, db, dc = my.clip_gradients(list(my.bptt(dY_hat, X, states, W, V, k)),
                                               threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong("train_rnn", "Adam", "moment", "plain", "p - learning_rate * g", "gradient descent",
       "@update", "@epoch 0", "@update of U")
def s13_tr_adam_steps(params, X, Y, learning_rate, epochs, threshold, k):
    p = list(params)
    m = [np.zeros_like(a) for a in p]
    v = [np.zeros_like(a) for a in p]
    for epoch in range(1, epochs + 1):
        Y_hat, states = my.rnn_forward(X, *p)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY_hat, X, states, p[1], p[2], k)), threshold)
        for i, g in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g ** 2
            m_hat, v_hat = m[i] / (1 - 0.9 ** epoch), v[i] / (1 - 0.999 ** epoch)
            p[i] = p[i] - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return p


@wrong("train_rnn", "learning rate", "twice", "learning_rate * dY_hat", "dY_hat", "@update",
       "@bptt", "@dY_hat", "@gradient")
def s13_tr_learning_rate_applied_twice(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        step = my.bptt(learning_rate * dY_hat, X, states, W, V, k)  # "the step", then clipped
        dU, dW, dV, db, dc = my.clip_gradients(list(step), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong("train_rnn", "unpack", "[U, W, V, b, c]", "b and V", "params", "@params", "@forward",
       "@epoch 0")
def s13_tr_params_unpacked_in_another_order(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, b, V, c = params  # the order of another course's parameter list
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        dU, dW, dV, db, dc = my.clip_gradients(list(my.bptt(dY_hat, X, states, W, V, k)),
                                               threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, b, V, c]


@wrong("train_rnn", "column", "(H, 1)", "reshape", "(H, H)", "bias", "@update", "@update of b",
       "@epoch 0", "@epoch 1")
def s13_tr_bias_update_made_a_column(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        dU, dW, dV, db, dc = my.clip_gradients(list(my.bptt(dY_hat, X, states, W, V, k)),
                                               threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b = b - learning_rate * db.reshape(-1, 1)  # "b is a column vector"
        c = c - learning_rate * dc
    return [U, W, V, b, c]


@right("train_rnn")
def s13_right_training_with_a_step_function(params, X, Y, learning_rate, epochs, threshold, k):
    def step(p):
        Y_hat, states = my.rnn_forward(X, *p)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY_hat, X, states, p[1], p[2], k)), threshold)
        return [a - learning_rate * g for a, g in zip(p, grads, strict=True)]
    p = list(params)
    for _ in range(epochs):
        p = step(p)
    return p


@wrong("gru_step", "first record", "h_prev[0]", "every record", "records", "mix", "row 0",
       "@mix", "@record", "@row")
def s13_gs_mix_with_the_first_records_state(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev[0]


@wrong("gru_step", "W[H:2*H]", "W[2*H:]", "update rows", "copy", "block", "W_n", "rows",
       "candidate's block", "@candidate", "@candidate n")
def s13_gs_candidate_from_the_update_rows_of_w(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[H:2 * H].T + b_n))  # copied
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "N = 1", "one record", "reshape", "(1, -1)", "records", "single",
       "every record", "@gates", "@r", "@record")
def s13_gs_state_reshaped_to_one_row(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    x = x_t.reshape(1, -1)
    h = h_prev.reshape(1, -1)  # written for a single record
    r = sigmoid(x @ U[:H].T + h @ W[:H].T + b[:H])
    z = sigmoid(x @ U[H:2 * H].T + h @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x @ U[2 * H:].T + b[2 * H:] + r * (h @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h


@wrong("gru_step", "inclusive", "H - 1", "slice", "off by one", "rows", "block", "U[:H]", "@r",
       "@gates", "@reset gate")
def s13_gs_blocks_sliced_with_inclusive_ends(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    rows = [(0, H - 1), (H, 2 * H - 1), (2 * H, 3 * H - 1)]  # first and last row of each block
    parts = [(U[i:j], W[i:j], b[i:j]) for i, j in rows]
    (U_r, W_r, b_r), (U_z, W_z, b_z), (U_n, W_n, b_xn) = parts
    r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
    z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
    n = np.tanh(x_t @ U_n.T + b_xn + r * (h_prev @ W_n.T + b_n))
    return (1 - z) * n + z * h_prev


_S13_GATES: dict = {}  # the gates, kept for the backward step


@wrong("gru_step", "between calls", "previous call", "first call", "cached", "stale", "kept",
       "gates", "@r", "@z", "@gates", "@update gate")
def s13_gs_gates_cached_from_the_first_call(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    if "rz" not in _S13_GATES:
        _S13_GATES["rz"] = sigmoid(gx[:, :2 * H] + gh[:, :2 * H])
    rz = _S13_GATES["rz"]
    r, z = rz[:, :H], rz[:, H:]
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s13_right_gru_from_the_concatenated_input_and_state(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    xh = np.hstack([x_t, h_prev])  # (N, D + H)
    UW = np.hstack([U[:2 * H], W[:2 * H]])  # (2H, D + H): r and z
    r, z = np.split(sigmoid(xh @ UW.T + b[:2 * H]), 2, axis=1)
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return z * h_prev + (1 - z) * n


def _s13_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, at_pre=False, blocks_t=False,
                  cho_dw=False, h_minus_n_in_place=False, direct_r=False):
    H = len(b_n)
    gx = x_t @ U.T + b
    gh = h_prev @ W.T
    a_r = gx[:, :H] + gh[:, :H]
    a_z = gx[:, H:2 * H] + gh[:, H:2 * H]
    r, z = sigmoid(a_r), sigmoid(a_z)
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    s_r, s_z = (a_r, a_z) if at_pre else (r, z)  # where the sigmoid's derivative is taken
    d_n = dh_t * (1 - z) * (1 - n ** 2)
    if h_minus_n_in_place:
        diff = h_prev
        diff -= n  # h_prev itself
    else:
        diff = h_prev - n
    d_z = dh_t * diff * s_z * (1 - s_z)
    dm = d_n * r
    d_r = d_n * m * s_r * (1 - s_r)
    W_r, W_z, W_n = W[:H], W[H:2 * H], W[2 * H:]
    if blocks_t:
        back = d_r @ W_r.T + d_z @ W_z.T + dm @ W_n.T
    else:
        back = d_r @ W_r + d_z @ W_z + dm @ W_n
    dh_prev = dh_t * (r if direct_r else z) + back
    to_U = np.hstack([d_r, d_z, d_n])
    dW = np.vstack([d_r.T @ h_prev, d_z.T @ h_prev,
                    d_n.T @ (r * h_prev) if cho_dw else dm.T @ h_prev])
    return dh_prev, to_U.T @ x_t, dW, to_U.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "pre-activation", "s * (1 - s)", "z * (1 - z)", "r * (1 - r)",
       "a_z", "sigmoid", "derivative", "@update gate", "@da_z", "@reset gate", "@da_r")
def s13_gb_gate_derivatives_at_the_pre_activations(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s13_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, at_pre=True)


@wrong("gru_step_backward", "transpose", "W_r.T", "blocks", "d_r @ W_r", "square", "W.T",
       "untransposed", "@dh_prev")
def s13_gb_passed_back_through_transposed_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s13_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, blocks_t=True)


@wrong("gru_step_backward", "r * h_prev", "after the product", "Cho", "candidate's block", "@dW",
       "@candidate")
def s13_gb_candidate_block_of_dw_against_the_reset_state(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s13_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, cho_dw=True)


@wrong("gru_step_backward", "in place", "h_prev", "-=", "changed", "copy", "modif",
       "@dW", "@da_z", "@update gate")
def s13_gb_h_prev_minus_n_computed_in_place(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s13_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, h_minus_n_in_place=True)


@wrong("gru_step_backward", "dh_t * z", "reset gate", "direct path", "update gate", "@dh_prev")
def s13_gb_direct_path_through_the_reset_gate(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s13_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, direct_r=True)


@right("gru_step_backward")
def s13_right_gru_backward_record_by_record(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    dh_prev = np.zeros_like(h_prev)
    dU, dW, db, db_n = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b_n)
    for i, (x, h, g) in enumerate(zip(x_t, h_prev, dh_t, strict=True)):
        r = sigmoid(U[:H] @ x + W[:H] @ h + b[:H])
        z = sigmoid(U[H:2 * H] @ x + W[H:2 * H] @ h + b[H:2 * H])
        m = W[2 * H:] @ h + b_n
        n = np.tanh(U[2 * H:] @ x + b[2 * H:] + r * m)
        d_n = g * (1 - z) * (1 - n * n)
        d_z = g * (h - n) * z * (1 - z)
        dm = d_n * r
        d_r = d_n * m * r * (1 - r)
        to_U = np.concatenate([d_r, d_z, d_n])
        to_W = np.concatenate([d_r, d_z, dm])
        dh_prev[i] = g * z + W.T @ to_W
        dU += np.outer(to_U, x)
        dW += np.outer(to_W, h)
        db += to_U
        db_n += dm
    return dh_prev, dU, dW, db, db_n


@wrong("sequence_backward_step", "softmax", "dy_hat_t", "p * (1 - p)", "already", "twice", "scores",
       "@g_t", "@dV_t")
def s13_sb_softmax_applied_to_the_output_error(dh_next, dy_hat_t, h_t, W, V):
    e = np.exp(dy_hat_t - dy_hat_t.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    dy = dy_hat_t * p * (1 - p)  # "through the softmax"
    g = dh_next + dy @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy.T @ h_t


@wrong("sequence_backward_step", "1 - h_t**2", "dV_t", "h_t", "dy_hat_t.T @ h_t", "@dV_t")
def s13_sb_dv_through_the_tanh_derivative(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ (h_t * (1 - h_t ** 2))


@wrong("sequence_backward_step", "transpose", "(H, N)", "columns", "rows", "dh_prev.T",
       "convention", "@dh_prev")
def s13_sb_column_convention_with_dh_prev_not_transposed_back(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next.T + V.T @ dy_hat_t.T  # columns are streams
    delta = g * (1 - h_t.T ** 2)
    dh_prev = W.T @ delta
    return g.T, delta.T, dh_prev, dy_hat_t.T @ h_t  # dh_prev left as (H, N)


@wrong("sequence_backward_step", "O = 1", "first output", "dy_hat_t[:, :1]", "V[:1]",
       "outputs", "one output", "every output", "@g_t", "@own output")
def s13_sb_own_output_of_the_first_character_only(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t[:, :1] @ V[:1]  # notebook 03's one output
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


_S13_LAST_DELTA: dict = {}  # the delta of the step before, "passed on" one call late


@wrong("sequence_backward_step", "previous call", "between calls", "stale", "kept",
       "one step late", "delta_t @ W", "first call", "@dh_prev")
def s13_sb_dh_prev_from_the_previous_calls_delta(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    before = _S13_LAST_DELTA.get("delta", np.zeros_like(delta))
    _S13_LAST_DELTA["delta"] = delta
    return g, delta, before @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s13_right_sequence_by_transposed_products(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + (V.T @ dy_hat_t.T).T
    delta = np.multiply(g, 1 - np.square(h_t))
    return g, delta, (W.T @ delta.T).T, (h_t.T @ dy_hat_t).T


@wrong("temperature_probabilities", "log-sum-exp", "overflow", "inf", "NaN", "max",
       "largest score", "shift", "T = 0.05", "@exp", "@exp(", "@normalisation")
def s13_tp_log_sum_exp_without_the_shift(y_hat, temperature):
    z = y_hat / temperature
    return np.exp(z - np.log(np.sum(np.exp(z), axis=1, keepdims=True)))


@wrong("temperature_probabilities", "one-hot", "argmax", "small temperature", "special case",
       "T = 0.05", "softmax", "@probabilities", "@temperature", "@softmax")
def s13_tp_one_hot_below_a_small_temperature(y_hat, temperature):
    if temperature < 0.1:  # "the softmax overflows there; it is the argmax anyway"
        p = np.zeros_like(y_hat)
        p[np.arange(len(y_hat)), y_hat.argmax(axis=1)] = 1.0
        return p
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "first score", "y_hat[:, :1]", "max", "largest score",
       "overflow", "inf", "NaN", "T = 0.05", "@exp", "@exp(", "@scores")
def s13_tp_shifted_by_the_first_score(y_hat, temperature):
    e = np.exp((y_hat - y_hat[:, :1]) / temperature)  # any constant per row will do
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "base 2", "exp2", "2 **", "bits", "np.exp", "ln 2", "log(2)",
       "@exp", "@exp(")
def s13_tp_powers_of_two_for_bits(y_hat, temperature):
    p = np.exp2((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)  # bits per character
    return p / p.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "list", "numpy array", "ndarray", "np.array", "@probabilities",
       "@output")
def s13_tp_returns_nested_python_lists(y_hat, temperature):
    out = []
    for row in y_hat.tolist():
        top = max(row)
        e = [float(np.exp((v - top) / temperature)) for v in row]
        total = sum(e)
        out.append([v / total for v in e])
    return out


@right("temperature_probabilities")
def s13_right_temperature_by_row_loop_with_logsumexp(y_hat, temperature):
    p = np.empty(y_hat.shape)
    for i, row in enumerate(y_hat / temperature):
        top = row.max()
        p[i] = np.exp(row - top - np.log(np.exp(row - top).sum()))
    return p


# === set s14: written without reading the checkers, their tests or their messages; probes slips
# that no earlier set has (Python aliasing, out= arguments, stale variables, other conventions)

SET = "s14"

# --- s14 01 make_windows -------------------------------------------------------------------------


@wrong("make_windows", "alias", "same list", "[[None] * T] * N", "list multiplication",
       "every window", "last window", "copy", "@window 0", "@X")
def s14_mw_rows_of_a_multiplied_list_alias(series, T):
    N = len(series) - T
    rows = [[None] * T] * N  # N references to one list
    for i in range(N):
        for t in range(T):
            rows[i][t] = series[i + t]
    return np.array(rows, dtype=float), series[T:].copy()


@wrong("make_windows", "np.empty", "first row", "one window too many", "N + 1", "np.append",
       "uninitiali", "@window 0", "@X")
def s14_mw_appended_to_an_empty_seed_row(series, T):
    D = series.shape[1]
    X = np.empty((1, T, D))  # "something to append to"
    for i in range(len(series) - T):
        X = np.append(X, series[i:i + T][None], axis=0)
    return X, series[T:].copy()


@wrong("make_windows", "generator", "consumed", "exhausted", "len(list(", "empty", "no windows",
       "@X", "@windows")
def s14_mw_generator_consumed_by_counting(series, T):
    windows = (series[i:i + T] for i in range(len(series) - T))
    N = len(list(windows))  # this runs the generator to its end
    X = np.array(list(windows), dtype=float).reshape(N, T, series.shape[1])
    return X, series[T:].copy()


@wrong("make_windows", "dstack", "np.stack", "axis", "(T, D, N)", "(N, T, D)", "records last",
       "@X", "@windows")
def s14_mw_windows_joined_by_dstack(series, T):
    X = np.dstack([series[i:i + T] for i in range(len(series) - T)])  # (T, D, N)
    return X, series[T:].copy()


@right("make_windows")
def s14_right_windows_by_take_with_an_index_grid(series, T):
    N = len(series) - T
    idx = np.arange(N)[:, None] + np.arange(T)[None, :]  # (N, T)
    return np.take(series, idx, axis=0), np.take(series, np.arange(T, T + N), axis=0)


# --- s14 02 forward_step -------------------------------------------------------------------------


@wrong("forward_step", "np.add", "out", "third argument", "b", "bias", "two arrays",
       "a + b + c", "@bias b", "@output")
def s14_fs_bias_passed_as_the_out_argument_of_np_add(x_t, h_prev, U, W, b):
    return np.tanh(np.add(x_t @ U.T, h_prev @ W.T, b))  # the third argument of np.add is out


@wrong("forward_step", "dropout", "random", "training", "mask", "deterministic", "@output",
       "@tanh")
def s14_fs_dropout_on_the_new_state(x_t, h_prev, U, W, b):
    h = np.tanh(x_t @ U.T + h_prev @ W.T + b)
    keep = np.random.default_rng(0).random(h.shape) > 0.1  # "dropout regularises an RNN"
    return h * keep / 0.9


@wrong("forward_step", "leak", "h_prev", "0.3", "mix", "echo state", "reservoir", "tanh",
       "@output", "@tanh")
def s14_fs_leaky_integrator_from_echo_state_networks(x_t, h_prev, U, W, b):
    alpha = 0.3  # leak rate
    return (1 - alpha) * h_prev + alpha * np.tanh(x_t @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "reshape(-1)", "ravel", "one record", "N = 1", "records", "(N, D)",
       "@record", "@input's part", "@output")
def s14_fs_written_for_one_record_by_reshape(x_t, h_prev, U, W, b):
    h = np.tanh(U @ x_t.reshape(-1) + W @ h_prev.reshape(-1) + b)  # the notebook's one record
    return h.reshape(1, -1)


@right("forward_step")
def s14_right_step_by_doubled_sigmoid(x_t, h_prev, U, W, b):
    a = np.einsum("hd,nd->nh", U, x_t) + np.dot(h_prev, W.T) + b
    return 2.0 / (1.0 + np.exp(-2.0 * a)) - 1.0  # tanh(a) = 2 sigmoid(2a) - 1


# --- s14 02 rnn_forward --------------------------------------------------------------------------


@wrong("rnn_forward", "alias", "[h0] * (T + 1)", "same array", "list multiplication", "[:]",
       "every state", "copy", "@states[0]", "@states", "@states[1]")
def s14_rf_states_of_a_multiplied_list_written_through(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = [np.zeros((N, W.shape[0]))] * (T + 1)  # T + 1 names for one array
    for t in range(T):
        states[t + 1][:] = my.forward_step(X[:, t], states[t], U, W, b)
    return states[T] @ V.T + c, np.array(states)


@wrong("rnn_forward", "X[:, -t]", "-0", "negative index", "reversed", "order", "X[:, t]",
       "@step 2", "@states[2]", "@step")
def s14_rf_inputs_read_with_a_negative_index(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, -t], h, U, W, b)  # meant "counting from the end"
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "squeeze", "N = 1", "one record", "D = 1", "channel axis", "IndexError",
       "@X", "@step", "@states")
def s14_rf_squeezed_for_one_channel(X, U, W, V, b, c):
    Xs = X.squeeze()  # (N, T) for D = 1; drops N = 1 too
    N, T = X.shape[0], X.shape[1]
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(Xs[:, t][:, None], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "(h + c) @ V.T", "parenthes", "output bias", "c", "after the product",
       "h @ V.T + c", "@Y_hat", "@readout", "@prediction")
def s14_rf_output_bias_inside_the_parentheses(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return (h + c) @ V.T, np.stack(states)


@right("rnn_forward")
def s14_right_forward_by_accumulate(X, U, W, V, b, c):
    from itertools import accumulate
    h0 = np.zeros((X.shape[0], W.shape[0]))
    steps = [X[:, t] for t in range(X.shape[1])]
    states = list(accumulate(steps, lambda h, x: np.tanh(x @ U.T + h @ W.T + b), initial=h0))
    return np.matmul(states[-1], V.T) + c, np.stack(states)


# --- s14 03 mse_loss -----------------------------------------------------------------------------


@wrong("mse_loss", "log-cosh", "logcosh", "cosh", "tanh", "square", "0.5", "(Y_hat - Y)**2",
       "@L", "@loss", "@dY_hat")
def s14_ml_log_cosh_loss(Y_hat, Y):
    e = Y_hat - Y
    N = len(Y)
    return float(np.sum(np.log(np.cosh(e)))) / N, np.tanh(e) / N  # "a smooth MSE"


@wrong("mse_loss", "normalis", "divided by", "np.sum(Y**2)", "targets", "relative", "N",
       "@L", "@loss", "@dY_hat")
def s14_ml_normalised_by_the_targets_energy(Y_hat, Y):
    e = Y_hat - Y
    scale = float(np.sum(Y ** 2))  # "normalised MSE, independent of the signal's size"
    return 0.5 * float(np.sum(e ** 2)) / scale, e / scale


@wrong("mse_loss", "e * e.T", "transpose", "outer", "broadcast", "(N, N)", "e**2", "square",
       "@L", "@loss")
def s14_ml_square_as_the_product_with_the_transpose(Y_hat, Y):
    e = Y_hat - Y
    N = len(Y)
    return 0.5 * float(np.sum(e * e.T)) / N, e / N


@wrong("mse_loss", "ndim", "len(Y)", "shape[0]", "N", "number of records", "2", "@L",
       "@dY_hat")
def s14_ml_record_count_from_ndim(Y_hat, Y):
    N = Y_hat.ndim  # meant the number of records
    e = Y_hat - Y
    return 0.5 * float(np.sum(e ** 2)) / N, e / N


@right("mse_loss")
def s14_right_loss_from_the_mean_times_the_outputs(Y_hat, Y):
    e = Y_hat - Y
    N, O = e.shape
    return float(0.5 * np.mean(np.square(e)) * O), e / N


# --- s14 03 backward_step ------------------------------------------------------------------------


@wrong("backward_step", "np.dot", "elementwise", "*", "matrix product", "dh_t * (1 - h_t**2)",
       "@delta_t", "@derivative")
def s14_bs_derivative_applied_by_np_dot(dh_t, h_t, h_prev, x_t, W):
    delta = np.dot(dh_t, 1 - h_t ** 2)  # "multiply by the derivative"
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "h_t.T", "transpos", "(H, N)", "column", "broadcast", "@delta_t",
       "@derivative")
def s14_bs_derivative_of_the_transposed_state(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t.T ** 2)  # from the column-vector notes
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "np.gradient", "finite difference", "1 - h_t**2", "tanh'",
       "derivative", "@delta_t", "@derivative")
def s14_bs_derivative_by_np_gradient(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * np.gradient(h_t, axis=1)  # "numpy computes the derivative"
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


_S14_BS_DERIVATIVE: dict = {}  # "computed once per shape"


@wrong("backward_step", "cache", "previous call", "stale", "first call", "1 - h_t**2",
       "between calls", "@delta_t", "@derivative")
def s14_bs_derivative_cached_by_shape(dh_t, h_t, h_prev, x_t, W):
    d = _S14_BS_DERIVATIVE.setdefault(h_t.shape, 1 - h_t ** 2)
    delta = dh_t * d
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@right("backward_step")
def s14_right_step_with_sech_squared_of_the_pre_activation(dh_t, h_t, h_prev, x_t, W):
    a = np.arctanh(h_t)
    delta = dh_t / np.cosh(a) ** 2
    return (delta, np.einsum("nh,hk->nk", delta, W), np.einsum("nh,nd->hd", delta, x_t),
            np.einsum("nh,nk->hk", delta, h_prev), sum(delta))


# --- s14 03 bptt ---------------------------------------------------------------------------------


@wrong("bptt", "alias", "dU = dW", "same array", "chained assignment", "np.zeros_like(W)",
       "(H, D)", "separate", "@dU", "@dW")
def s14_bp_accumulators_by_chained_assignment(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU = dW = np.zeros_like(W)  # "both start at zero"
    db = np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "k -= 1", "k", "window", "half", "steps", "while", "k steps", "@k = 2",
       "@step T - 1", "@k = 3")
def s14_bp_window_counted_down_twice(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W)
    db = np.zeros(W.shape[0])
    dh = dY_hat @ V
    t = T
    while t > T - k:
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
        t -= 1
        k -= 1  # "one step fewer left"
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "X[:, T - k:]", "slice", "index", "t - 1", "window", "IndexError", "shifted",
       "@dU", "@step T", "@input")
def s14_bp_window_slice_indexed_with_global_time(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    Xk = X[:, T - k:]  # the inputs inside the window
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W)
    db = np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ Xk[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "states[T]", "derivative", "top step", "every step", "1 - states[t]**2",
       "stale", "@step T - 1", "@k = 2", "@derivative")
def s14_bp_derivative_of_the_top_state_at_every_step(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W)
    db = np.zeros(W.shape[0])
    dh = dY_hat @ V
    deriv = 1 - states[T] ** 2  # computed before the loop
    for t in range(T, T - k, -1):
        delta = dh * deriv
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "np.add", "result", "discarded", "db +=", "db = ", "zero", "never", "@db")
def s14_bp_bias_sum_by_np_add_discarded(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW = np.zeros((W.shape[0], X.shape[2])), np.zeros_like(W)
    db = np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        np.add(db, delta.sum(axis=0))  # the sum is returned, not stored
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def s14_right_bptt_by_recursion(dY_hat, X, states, W, V, k):
    H, D = W.shape[0], X.shape[2]
    T = X.shape[1]

    def back(t, dh, left):
        if left == 0 or t == 0:
            return np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
        delta = dh * (1 - np.square(states[t]))
        dU, dW, db = back(t - 1, np.dot(delta, W), left - 1)
        return (dU + np.dot(delta.T, X[:, t - 1]), dW + np.dot(delta.T, states[t - 1]),
                db + delta.sum(axis=0))

    dU, dW, db = back(T, dY_hat @ V, k)
    return dU, dW, np.dot(dY_hat.T, states[T]), db, dY_hat.sum(axis=0)


# --- s14 03 numerical_gradient -------------------------------------------------------------------


@wrong("numerical_gradient", "complex", "1j", "imag", "complex step", "real", "discarded",
       "zero", "@entry 0", "@entry")
def s14_ng_complex_step_into_a_real_array(f, x, eps=1e-6):
    import warnings
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "the ComplexWarning is harmless"
            x[idx] = old + 1j * eps  # the imaginary part is dropped on assignment
        grad[idx] = np.imag(f()) / eps
        x[idx] = old
    return grad


@wrong("numerical_gradient", "np.ndindex(x.size)", "row", "flat index", "x[i]",
       "np.ndindex(x.shape)", "IndexError", "whole row", "@entry 0", "@entry")
def s14_ng_ndindex_over_the_size(f, x, eps=1e-6):
    grad = np.zeros(x.size)
    for (i,) in np.ndindex(x.size):
        old = x[i].copy()  # a row when x is 2-D
        x[i] = old + eps
        fp = f()
        x[i] = old - eps
        fm = f()
        x[i] = old
        grad[i] = (fp - fm) / (2 * eps)
    return grad.reshape(x.shape)


@wrong("numerical_gradient", "ndim", "x.size", "every entry", "entries", "zero", "range(x.ndim)",
       "@entry 2", "@entry")
def s14_ng_loop_over_the_number_of_axes(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(x.ndim):  # meant x.size
        old = x.flat[i]
        x.flat[i] = old + eps
        fp = f()
        x.flat[i] = old - eps
        fm = f()
        x.flat[i] = old
        grad.flat[i] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "unpack", "tuple", "f()", "scalar", "float", "TypeError",
       "mse_loss", "@f", "@entry 0")
def s14_ng_f_unpacked_like_mse_loss(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        fp, _ = f()  # "the loss comes with its gradient"
        x[idx] = old - eps
        fm, _ = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@right("numerical_gradient")
def s14_right_gradient_by_np_gradient_on_three_points(f, x, eps=1e-6):
    grad = np.empty(x.shape)
    for idx in np.ndindex(x.shape):
        old = float(x[idx])
        vals = []
        for step in (-eps, 0.0, eps):
            x[idx] = old + step
            vals.append(f())
        x[idx] = old
        grad[idx] = np.gradient(np.array(vals), eps)[1]  # central difference at the middle
    return grad


# --- s14 04 clip_gradients -----------------------------------------------------------------------


@wrong("clip_gradients", "squared norm", "sqrt", "norm", "threshold", "compared", "norm**2",
       "@factor", "@norm", "@condition")
def s14_cg_squared_norm_compared_with_the_threshold(grads, threshold):
    sq = sum(float(np.sum(g ** 2)) for g in grads)
    if sq > threshold:  # compares the squared norm
        factor = threshold / np.sqrt(sq)
        return [g * factor for g in grads]
    return [g.copy() for g in grads]


@wrong("clip_gradients", "fro", "1-D", "vectors", "ord", "b", "biases", "ValueError", "@norm",
       "@array 3")
def s14_cg_frobenius_order_for_every_array(grads, threshold):
    norm = np.sqrt(sum(np.linalg.norm(g, ord="fro") ** 2 for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "var", "variance", "mean", "sum of squares", "centred", "np.sum(g**2)",
       "@norm")
def s14_cg_norm_from_the_variances(grads, threshold):
    norm = np.sqrt(sum(g.var() * g.size for g in grads))  # "mean square times the size"
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "object", "dtype=object", "np.array(grads", "shapes", "broadcast",
       "ValueError", "each array", "@norm")
def s14_cg_norm_of_an_object_array(grads, threshold):
    arr = np.array(grads, dtype=object)  # "one array of arrays"
    norm = np.sqrt(np.sum(arr ** 2))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@right("clip_gradients")
def s14_right_clip_by_min_of_one_and_the_ratio(grads, threshold):
    norm = np.linalg.norm(np.concatenate([np.ravel(g) for g in grads]))
    factor = min(1.0, threshold / norm) if norm > 0 else 1.0
    return [np.multiply(g, factor) for g in grads]


# --- s14 05 train_rnn ----------------------------------------------------------------------------


@wrong("train_rnn", "ravel", "Y", "(N,)", "(N, 1)", "broadcast", "(N, N)", "targets", "@loss",
       "@epoch 0", "@mse_loss")
def s14_tr_targets_raveled_for_the_loss(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (p.copy() for p in params)
    y = Y.ravel()  # "the targets are one number per record"
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads,
                                                                strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "states", "states[-k:]", "the last k", "bptt", "all states", "IndexError",
       "@bptt", "@epoch 0")
def s14_tr_only_the_last_k_states_to_bptt(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (p.copy() for p in params)
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        window = states[-k:]  # "BPTT only needs the window's k states"
        grads = my.clip_gradients(list(my.bptt(dY, X[:, -k:], window, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads,
                                                                strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "c", "output bias", "prediction", "rnn_forward", "Y_hat", "states[-1] @ V.T",
       "@loss", "@c", "@epoch 0", "@dc")
def s14_tr_prediction_recomputed_without_c(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = (p.copy() for p in params)
    for _ in range(epochs):
        _, states = my.rnn_forward(X, U, W, V, b, c)
        Y_hat = states[-1] @ V.T  # "the prediction is the readout of the last state"
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        U, W, V, b, c = (p - learning_rate * g for p, g in zip((U, W, V, b, c), grads,
                                                                strict=True))
    return [U, W, V, b, c]


@wrong("train_rnn", "dV.T", "transpos", "V", "(O, H)", "(H, O)", "broadcast", "@update of V",
       "@V", "@epoch 0")
def s14_tr_readout_updated_with_the_transposed_gradient(params, X, Y, learning_rate, epochs,
                                                         threshold, k):
    U, W, V, b, c = (p.copy() for p in params)
    for _ in range(epochs):
        dU, dW, dV, db, dc = my.clip_gradients(_epoch(U, W, V, b, c, X, Y, k), threshold)
        U, W, b, c = U - learning_rate * dU, W - learning_rate * dW, b - learning_rate * db, \
            c - learning_rate * dc
        V = V - learning_rate * dV.T  # "V maps H to O, so its gradient is (H, O)"
    return [U, W, V, b, c]


@wrong("train_rnn", "copy", "inside the loop", "every epoch", "params", "one epoch", "reset",
       "@epoch 1", "@epoch")
def s14_tr_copy_made_inside_the_epoch_loop(params, X, Y, learning_rate, epochs, threshold, k):
    for _ in range(epochs):
        trained = [p.copy() for p in params]  # "never change the caller's arrays"
        grads = my.clip_gradients(_epoch(*trained, X, Y, k), threshold)
        trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
    return trained


@right("train_rnn")
def s14_right_training_with_named_parameters(params, X, Y, learning_rate, epochs, threshold, k):
    names = ("U", "W", "V", "b", "c")
    p = {n: np.array(a, dtype=float, copy=True) for n, a in zip(names, params, strict=True)}
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, p["U"], p["W"], p["V"], p["b"], p["c"])
        _, dY = my.mse_loss(Y_hat, Y)
        raw = my.bptt(dY, X, states, p["W"], p["V"], k)
        for n, g in zip(names, my.clip_gradients(list(raw), threshold), strict=True):
            p[n] -= learning_rate * g
    return [p[n] for n in names]


# --- s14 08 gru_step -----------------------------------------------------------------------------


@wrong("gru_step", "W.shape[1]", "W.shape[0]", "len(b_n)", "H", "3 * H", "hidden size", "// 3",
       "@r", "@reset gate", "@gates")
def s14_gs_hidden_size_from_the_columns_of_w(x_t, h_prev, U, W, b, b_n):
    H = W.shape[1] // 3  # W is (3H, H): the columns are H already
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "1 - z * n", "(1 - z) * n", "parenthes", "precedence", "mix", "@mix", "@h_t",
       "@update gate")
def s14_gs_mix_without_parentheses(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return 1 - z * n + z * h_prev


@wrong("gru_step", "reshape(H, 3)", "reshape(3, H)", "interleav", "b", "bias", "blocks",
       "b[:H]", "@bias", "@r", "@reset gate")
def s14_gs_bias_reshaped_h_by_three(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    b_r, b_z, b_in = b.reshape(H, 3).T  # "one column per gate"
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b_r)
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b_z)
    n = np.tanh(x_t @ U[2 * H:].T + b_in + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "np.split", "[H, 2 * H]", "indices", "sizes", "[H, H, H]", "blocks",
       "split", "@r", "@z", "@update gate", "@candidate")
def s14_gs_split_points_given_as_block_sizes(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    U_r, U_z, U_n = np.split(U, [H, H])  # "the sizes of the first two blocks"
    W_r, W_z, W_n = np.split(W, [H, H])
    b_r, b_z, b_in = b[:H], b[H:2 * H], b[2 * H:]
    r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
    z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
    n = np.tanh(x_t @ U_n.T + b_in + r * (h_prev @ W_n.T + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s14_right_gru_with_logaddexp_sigmoid(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx = np.einsum("nd,gd->ng", x_t, U) + b
    gh = np.einsum("nk,gk->ng", h_prev, W)
    r = np.exp(-np.logaddexp(0.0, -(gx[:, :H] + gh[:, :H])))
    z = np.exp(-np.logaddexp(0.0, -(gx[:, H:2 * H] + gh[:, H:2 * H])))
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return n + z * (h_prev - n)


# --- s14 08 gru_step_backward --------------------------------------------------------------------


def _s14_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, n_before_tanh=False, hstack=False,
                  b_n_outside=False, reset_rows_of_z=False):
    H = len(b_n)
    gx = x_t @ U.T + b
    gh = h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    if b_n_outside:  # forward recomputed as tanh(x U_n + b_in + r * (h W_n) + b_n)
        m = gh[:, 2 * H:]
        a_n = gx[:, 2 * H:] + r * m + b_n
    else:
        m = gh[:, 2 * H:] + b_n
        a_n = gx[:, 2 * H:] + r * m
    n = a_n if n_before_tanh else np.tanh(a_n)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    if n_before_tanh:
        n = np.tanh(a_n)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    W_r = W[H:2 * H] if reset_rows_of_z else W[:H]
    dh_prev = dh_t * z + da_r @ W_r + da_z @ W[H:2 * H] + dm @ W[2 * H:]
    stack = np.hstack if hstack else np.vstack
    dU = stack([da_r.T @ x_t, da_z.T @ x_t, da_n.T @ x_t])
    dW = stack([da_r.T @ h_prev, da_z.T @ h_prev, dm.T @ h_prev])
    db = np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)])
    db_n = (da_n if b_n_outside else dm).sum(0)
    return dh_prev, dU, dW, db, db_n


@wrong("gru_step_backward", "tanh", "1 - n**2", "pre-activation", "before", "candidate",
       "derivative", "@da_n", "@candidate", "@dU")
def s14_gb_candidate_derivative_taken_before_the_tanh(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s14_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, n_before_tanh=True)


@wrong("gru_step_backward", "hstack", "vstack", "(3H, D)", "(H, 3D)", "stack", "rows", "blocks",
       "@dU", "@dW")
def s14_gb_gate_blocks_joined_by_hstack(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s14_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, hstack=True)


@wrong("gru_step_backward", "b_n", "reset", "r * (", "inside", "outside", "db_n", "convention",
       "@db_n", "@candidate", "@da_r")
def s14_gb_forward_recomputed_with_b_n_outside_the_reset(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s14_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, b_n_outside=True)


@wrong("gru_step_backward", "W[H:2*H]", "W_r", "reset", "rows", "block", "W[:H]", "@dh_prev",
       "@reset gate")
def s14_gb_reset_path_through_the_update_rows(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s14_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, reset_rows_of_z=True)


@wrong("gru_step_backward", "np.outer", "one record", "N = 1", "records", "flatten",
       "delta.T @ x_t", "@dU", "@dW")
def s14_gb_blocks_by_np_outer_for_one_record(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    da_n = dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    dh_prev = dh_t * z + da_r @ W[:H] + da_z @ W[H:2 * H] + dm @ W[2 * H:]
    dU = np.vstack([np.outer(da_r, x_t), np.outer(da_z, x_t), np.outer(da_n, x_t)])
    dW = np.vstack([np.outer(da_r, h_prev), np.outer(da_z, h_prev), np.outer(dm, h_prev)])
    db = np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)])
    return dh_prev, dU, dW, db, dm.sum(0)


@right("gru_step_backward")
def s14_right_gru_backward_through_joint_blocks(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    rz = 1 / (1 + np.exp(-(gx[:, :2 * H] + gh[:, :2 * H])))
    r, z = rz[:, :H], rz[:, H:]
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    d_n = dh_t * (1 - z) * (1 - n * n)
    d_rz = np.concatenate([d_n * m, dh_t * (h_prev - n)], axis=1) * rz * (1 - rz)
    to_input = np.concatenate([d_rz, d_n], axis=1)       # (N, 3H), for U and b
    to_state = np.concatenate([d_rz, d_n * r], axis=1)   # (N, 3H), for W and b_n
    return (dh_t * z + to_state @ W, to_input.T @ x_t, to_state.T @ h_prev,
            to_input.sum(axis=0), to_state[:, 2 * H:].sum(axis=0))


# --- s14 09 sequence_backward_step ---------------------------------------------------------------

_S14_SB_DV: dict = {}  # "the readout's gradient, summed over the steps"


@wrong("sequence_backward_step", "accumulat", "previous call", "module", "global", "this step",
       "+=", "between calls", "@dV_t")
def s14_sb_readout_share_added_to_a_module_total(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    total = _S14_SB_DV.setdefault(V.shape, np.zeros(V.shape))
    total += dy_hat_t.T @ h_t
    return g, delta, delta @ W, total.copy()


@wrong("sequence_backward_step", "- 1", "argmax", "one-hot", "softmax", "already", "dy_hat_t",
       "as it is", "@g_t", "@own output")
def s14_sb_one_subtracted_at_the_largest_error_again(dh_next, dy_hat_t, h_t, W, V):
    dy = dy_hat_t.copy()
    dy[np.arange(len(dy)), dy.argmax(axis=1)] -= 1  # min-char-rnn's dy[target] -= 1
    g = dh_next + dy @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy.T @ h_t


@wrong("sequence_backward_step", "order", "swapped", "dV_t", "dh_prev", "return",
       "(g_t, delta_t, dh_prev, dV_t)", "@dh_prev", "@dV_t")
def s14_sb_last_two_results_swapped(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, dy_hat_t.T @ h_t, delta @ W


@wrong("sequence_backward_step", "h_t[0]", "first record", "every record", "broadcast",
       "1 - h_t**2", "records", "@delta_t", "@derivative")
def s14_sb_derivative_from_the_first_records_state(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t[0] ** 2)  # written for the one-record example
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "g**2", "h_t**2", "1 - g", "derivative", "state",
       "1 - h_t**2", "@delta_t", "@derivative")
def s14_sb_derivative_at_the_error(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - g ** 2)  # meant h_t
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s14_right_sequence_in_the_column_convention(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next.T + V.T @ dy_hat_t.T            # (H, N)
    delta = g * (1 - h_t.T ** 2)
    return g.T, delta.T, (W.T @ delta).T, dy_hat_t.T @ h_t


# --- s14 09 temperature_probabilities ------------------------------------------------------------


@wrong("temperature_probabilities", "loop variable", "row =", "row[:]", "rebind", "zero",
       "not written", "@row", "@probabilities")
def s14_tp_rows_rebound_in_the_loop(y_hat, temperature):
    p = np.zeros_like(y_hat, dtype=float)
    for row, scores in zip(p, y_hat, strict=True):
        e = np.exp((scores - scores.max()) / temperature)
        row = e / e.sum()  # noqa: F841  (rebinding the name, not filling the row)
    return p


@wrong("temperature_probabilities", "sigmoid", "softmax", "sum to 1", "normalis", "each score",
       "exp", "@probabilities", "@normalisation")
def s14_tp_sigmoid_per_score(y_hat, temperature):
    return 1 / (1 + np.exp(-y_hat / temperature))  # "a probability for every output"


@wrong("temperature_probabilities", "floor", "smoothing", "1e-3", "zero", "epsilon", "uniform",
       "@probabilities")
def s14_tp_probabilities_given_a_floor(y_hat, temperature):
    a = y_hat / temperature
    e = np.exp(a - a.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    eps = 1e-3  # "never sample with probability zero"
    return (1 - eps) * p + eps / p.shape[1]


@wrong("temperature_probabilities", "temperature < 1", "below 1", "if", "ignored",
       "every temperature", "condition", "@temperature", "@scores")
def s14_tp_temperature_applied_only_above_one(y_hat, temperature):
    a = y_hat / temperature if temperature > 1 else y_hat  # "only to flatten"
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s14_right_temperature_by_renormalised_power(y_hat, temperature):
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    q = np.exp(np.log(p) / temperature)  # p ** (1 / T), through logs against underflow
    return q / q.sum(axis=1, keepdims=True)


# --- set "s15": written in session 9 as a held-out set, without reading the checkers or tests --

SET = "s15"

# --- s15 01 make_windows -------------------------------------------------------------------------


@wrong("make_windows", "sliding_window_view", "window_shape", "(T, D)", "extra axis", "4-D",
       "[:, 0]", "squeeze", "@X", "@windows")
def s15_mw_sliding_view_with_a_two_axis_window(series, T):
    from numpy.lib.stride_tricks import sliding_window_view
    X = sliding_window_view(series[:-1], (T, series.shape[1]))  # (N, 1, T, D)
    return X.copy(), series[T:].copy()


@wrong("make_windows", "int", "dtype", "integer", "float", "targets", "truncat", "rounded",
       "@Y", "@targets")
def s15_mw_targets_cast_to_integers(series, T):
    N = len(series) - T
    X = np.stack([series[i:i + T] for i in range(N)])
    Y = np.array(series[T:], dtype=int)  # "targets are labels"
    return X, Y


@wrong("make_windows", "wrap", "modulo", "%", "len(series)", "too many", "N = L - T",
       "one window per value", "@window", "@X", "@Y")
def s15_mw_circular_windows_by_modulo(series, T):
    L = len(series)
    X = np.stack([series[np.arange(i, i + T) % L] for i in range(L)])  # "every start"
    Y = series[np.arange(T, T + L) % L]
    return X, Y


@wrong("make_windows", "last channel", "series[T:, -1:]", "channel", "D", "every channel",
       "series[T:]", "@Y", "@targets")
def s15_mw_target_of_the_last_channel(series, T):
    N = len(series) - T
    X = np.stack([series[i:i + T] for i in range(N)])
    return X, series[T:, -1:].copy()  # "the value we forecast is the last column"


@wrong("make_windows", "object", "dtype=object", "float", "list", "dtype", "float64", "@X",
       "@windows")
def s15_mw_windows_as_an_object_array_of_lists(series, T):
    N = len(series) - T
    X = np.empty((N, T, series.shape[1]), dtype=object)
    for i in range(N):
        for t in range(T):
            X[i, t] = list(series[i + t])  # one Python list per time step
    return X, series[T:].copy()


@right("make_windows")
def s15_right_windows_by_a_transposed_sliding_view(series, T):
    from numpy.lib.stride_tricks import sliding_window_view
    X = sliding_window_view(series[:-1], T, axis=0)  # (N, D, T)
    X = np.ascontiguousarray(X.transpose(0, 2, 1))
    Y = np.concatenate([X[1:, -1], series[-1:]], axis=0)  # the next window's last value
    return X, Y


# --- s15 02 forward_step -------------------------------------------------------------------------


@wrong("forward_step", "astype(int)", "int", "integer", "x_t", "input", "truncat", "dtype",
       "@input's part", "@x_t", "@output")
def s15_fs_input_cast_to_integers(x_t, h_prev, U, W, b):
    x = x_t.astype(int)  # "inputs are indices"
    return np.tanh(x @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "einsum", "->h", "n", "records", "summed", "output indices", "(N, H)",
       "@input's part", "@output")
def s15_fs_einsum_without_the_record_index(x_t, h_prev, U, W, b):
    a = np.einsum("nd,hd->h", x_t, U) + np.einsum("nk,hk->h", h_prev, W) + b
    return np.tanh(a)


@wrong("forward_step", "(h_prev + b) @ W.T", "bias", "b", "parenthes", "inside", "W",
       "@bias b", "@state's part", "@output")
def s15_fs_bias_inside_the_recurrent_product(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + (h_prev + b) @ W.T)


_S15_FS_MEMORY: dict = {}  # "the RNN remembers its last state"


@wrong("forward_step", "h_prev", "previous call", "memory", "argument", "ignored", "stored",
       "between calls", "@state's part", "@output")
def s15_fs_state_remembered_instead_of_h_prev(x_t, h_prev, U, W, b):
    h = _S15_FS_MEMORY.get(h_prev.shape, h_prev)
    h_t = np.tanh(x_t @ U.T + h @ W.T + b)
    _S15_FS_MEMORY[h_prev.shape] = h_t
    return h_t


@wrong("forward_step", "x_t[n:n + 1]", "(N, 1, H)", "extra axis", "record", "loop", "np.array",
       "append", "@output", "@record")
def s15_fs_record_loop_keeps_a_slice_per_record(x_t, h_prev, U, W, b):
    out = []
    for n in range(len(x_t)):
        out.append(np.tanh(x_t[n:n + 1] @ U.T + h_prev[n:n + 1] @ W.T + b))  # (1, H) each
    return np.array(out)  # (N, 1, H)


@right("forward_step")
def s15_right_step_record_by_record_with_np_inner(x_t, h_prev, U, W, b):
    rows = [np.tanh(np.inner(U, x) + np.inner(W, h) + b) for x, h in zip(x_t, h_prev,
                                                                          strict=True)]
    return np.array(rows).reshape(len(x_t), len(b))


# --- s15 02 rnn_forward --------------------------------------------------------------------------


@wrong("rnn_forward", "U.shape[1]", "U.shape[0]", "hidden size", "H", "D", "columns",
       "@states[0]", "@h_0", "@step 1")
def s15_rf_hidden_size_from_the_columns_of_u(X, U, W, V, b, c):
    N, T, _ = X.shape
    H = U.shape[1]  # U "maps to H"
    h = np.zeros((N, H))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "axis=-1", "np.stack", "axis", "(N, H, T + 1)", "(T + 1, N, H)",
       "states", "@states")
def s15_rf_states_stacked_on_the_last_axis(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states, axis=-1)  # "time is the last axis"


@wrong("rnn_forward", "c[0]", "output bias", "O = 1", "every output", "c", "first entry",
       "@Y_hat", "@readout", "@prediction")
def s15_rf_output_bias_first_entry_for_all_outputs(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c[0], np.stack(states)  # written for the course's one output


_S15_T = 10  # the notebook's window length


@wrong("rnn_forward", "T", "X.shape[1]", "notebook", "global", "hard-coded", "steps", "10",
       "@step", "@states")
def s15_rf_steps_from_the_notebooks_window_length(X, U, W, V, b, c):
    N = X.shape[0]
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(_S15_T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "X[:, t, :1]", "first channel", "channel", "D = 1", "D", "X[:, t]",
       "@step 1", "@input", "@X")
def s15_rf_input_of_the_first_channel_only(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t, :1], h, U[:, :1], W, b)  # the course's series has one channel
        states.append(h)
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def s15_right_forward_into_a_preallocated_buffer_with_einsum(X, U, W, V, b, c):
    N, T, _ = X.shape
    H = W.shape[0]
    states = np.empty((T + 1, N, H))
    states[0] = 0.0
    for t in range(1, T + 1):
        a = np.einsum("nd,hd->nh", X[:, t - 1], U) + np.einsum("nk,hk->nh", states[t - 1], W)
        states[t] = np.tanh(a + b)
    return np.einsum("nh,oh->no", states[T], V) + c, states


# --- s15 03 mse_loss -----------------------------------------------------------------------------


@wrong("mse_loss", "abs", "sign", "np.abs", "dY_hat", "Y_hat - Y", "gradient", "@dY_hat",
       "@gradient")
def s15_ml_absolute_error_squared_loses_the_sign(Y_hat, Y):
    e = np.abs(Y_hat - Y)  # "the size of the error"
    N = len(Y)
    return 0.5 * float(np.sum(e ** 2)) / N, e / N


@wrong("mse_loss", "e.T @ e", "[0, 0]", "O = 1", "outputs", "trace", "first output", "@L",
       "@loss")
def s15_ml_loss_from_the_top_left_of_the_gram_matrix(Y_hat, Y):
    e = Y_hat - Y
    N = len(Y)
    return 0.5 * float((e.T @ e)[0, 0]) / N, e / N  # (1, 1) for one output


@wrong("mse_loss", "math.fsum", "fsum", "rows", "2-D", "O = 1", "TypeError", "np.sum", "@L",
       "@loss")
def s15_ml_loss_by_math_fsum_over_the_rows(Y_hat, Y):
    import math
    import warnings
    e = Y_hat - Y
    N = len(Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        L = 0.5 * math.fsum(e ** 2) / N  # each row must be one number
    return L, e / N


@wrong("mse_loss", "in place", "Y -=", "Y", "targets", "changed", "copy", "@Y", "@input")
def s15_ml_error_computed_in_the_targets(Y_hat, Y):
    Y -= Y_hat  # "saves an array"
    e = -Y
    N = len(Y)
    return 0.5 * float(np.sum(e ** 2)) / N, e / N


@right("mse_loss")
def s15_right_loss_by_the_trace_of_the_gram_matrix(Y_hat, Y):
    e = np.subtract(Y_hat, Y)
    N = e.shape[0]
    return 0.5 * float(np.trace(e.T @ e)) / N, np.divide(e, N)


# --- s15 03 backward_step ------------------------------------------------------------------------


@wrong("backward_step", "in place", "dh_t *=", "dh_t", "changed", "copy", "input", "@dh_t",
       "@delta_t")
def s15_bs_delta_computed_in_the_incoming_error(dh_t, h_t, h_prev, x_t, W):
    dh_t *= 1 - h_t ** 2  # "delta is the incoming error times the derivative"
    delta = dh_t
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "np.zeros_like(W)", "(H, D)", "(H, H)", "dU_t", "shape", "buffer",
       "broadcast", "@dU_t", "@input's share")
def s15_bs_input_share_in_a_buffer_shaped_like_w(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dU = np.zeros_like(W)  # "the same kind of matrix"
    dW = np.zeros_like(W)
    for n in range(len(delta)):
        dU += np.outer(delta[n], x_t[n])
        dW += np.outer(delta[n], h_prev[n])
    return delta, delta @ W, dU, dW, delta.sum(axis=0)


@wrong("backward_step", "symmetr", "dW.T", "square", "(dW + dW.T) / 2", "transpose", "@dW_t",
       "@recurrent share")
def s15_bs_recurrent_share_symmetrised(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dW = delta.T @ h_prev
    dW = 0.5 * (dW + dW.T)  # "W is square, so its gradient is symmetric"
    return delta, delta @ W, delta.T @ x_t, dW, delta.sum(axis=0)


@wrong("backward_step", "split", "[:, :H]", "D", "hstack", "x_t", "h_prev", "columns",
       "@dU_t", "@dW_t", "@input's share")
def s15_bs_joint_share_split_at_h(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    H = W.shape[0]
    joint = delta.T @ np.hstack([x_t, h_prev])  # (H, D + H)
    return delta, delta @ W, joint[:, :H], joint[:, H:], delta.sum(axis=0)


@right("backward_step")
def s15_right_step_by_tensordot(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t - dh_t * h_t * h_t
    return (delta, np.tensordot(delta, W, axes=(1, 0)), np.tensordot(delta, x_t, axes=(0, 0)),
            np.tensordot(delta, h_prev, axes=(0, 0)), np.add.reduce(delta, axis=0))


# --- s15 03 bptt ---------------------------------------------------------------------------------


def _s15_bptt(dY_hat, X, states, W, V, k, layout=False, H_from_V=False, dU_twice=False,
              k_mod=False):
    T = X.shape[1]
    H = V.shape[0] if H_from_V else W.shape[0]
    if k_mod:
        k = k % T  # "keep the window inside the sequence"
    dU, dW = np.zeros((H, X.shape[2])), np.zeros((H, H))
    db = np.zeros(H)
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        h_t = states[:, t] if layout else states[t]
        h_p = states[:, t - 1] if layout else states[t - 1]
        delta = dh * (1 - h_t ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ h_p
        db += delta.sum(axis=0)
        dh = delta @ W
    top = states[:, T] if layout else states[T]
    if dU_twice:
        return dU, dU, dY_hat.T @ top, db, dY_hat.sum(axis=0)
    return dU, dW, dY_hat.T @ top, db, dY_hat.sum(axis=0)


@wrong("bptt", "states[:, t]", "(T + 1, N, H)", "(N, T + 1, H)", "layout", "record", "axis",
       "@states", "@step T", "@derivative")
def s15_bp_states_indexed_as_records_first(dY_hat, X, states, W, V, k):
    return _s15_bptt(dY_hat, X, states, W, V, k, layout=True)


@wrong("bptt", "V.shape[0]", "W.shape[0]", "hidden size", "H", "O", "(O, D)", "@dU", "@db",
       "@accumulator")
def s15_bp_hidden_size_from_the_rows_of_v(dY_hat, X, states, W, V, k):
    return _s15_bptt(dY_hat, X, states, W, V, k, H_from_V=True)


@wrong("bptt", "dU, dU", "dW", "return", "typo", "twice", "dU", "@dW")
def s15_bp_returns_du_in_place_of_dw(dY_hat, X, states, W, V, k):
    return _s15_bptt(dY_hat, X, states, W, V, k, dU_twice=True)


@wrong("bptt", "k % T", "modulo", "%", "k = T", "full", "window", "zero", "@k = T", "@k",
       "@dU")
def s15_bp_window_taken_modulo_the_length(dY_hat, X, states, W, V, k):
    return _s15_bptt(dY_hat, X, states, W, V, k, k_mod=True)


@right("bptt")
def s15_right_bptt_through_every_step_accumulating_inside_the_window(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H, D = W.shape[0], X.shape[2]
    dU, dW, db = np.zeros((H, D)), np.zeros((H, H)), np.zeros(H)
    dh = np.dot(dY_hat, V)
    for t in reversed(range(1, T + 1)):
        delta = dh * (1 - states[t]) * (1 + states[t])
        if t > T - k:
            dU = dU + np.einsum("nh,nd->hd", delta, X[:, t - 1])
            dW = dW + np.einsum("nh,nk->hk", delta, states[t - 1])
            db = db + delta.sum(axis=0)
        dh = np.dot(delta, W)
    return dU, dW, np.einsum("no,nh->oh", dY_hat, states[T]), db, dY_hat.sum(axis=0)


# --- s15 03 numerical_gradient -------------------------------------------------------------------


@wrong("numerical_gradient", "second derivative", "2 * f", "eps**2", "curvature", "f(x)",
       "(f(x + eps) - f(x - eps)) / (2 * eps)", "@entry 0", "@entry")
def s15_ng_second_difference_for_the_slope(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    f0 = f()
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad[idx] = (fp - 2 * f0 + fm) / eps ** 2  # "the central difference"
    return grad


@wrong("numerical_gradient", "order='F'", "unravel_index", "flat", "transpos", "column-major",
       "grad.flat", "@entry 1", "@entry")
def s15_ng_fortran_order_index_with_a_flat_store(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        idx = np.unravel_index(i, x.shape, order="F")  # "column by column, like MATLAB"
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad.flat[i] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "ravel", "flat", "shape", "x.shape", "reshape", "1-D", "(x.size,)",
       "@grad", "@shape")
def s15_ng_gradient_returned_flat(f, x, eps=1e-6):
    grad = []
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad.append((fp - fm) / (2 * eps))
    return np.array(grad)  # one number per entry


@wrong("numerical_gradient", "restore", "2 * eps", "+= 2 * eps", "x changed", "old", "x[idx] = old",
       "@x", "@entry 1", "@restore")
def s15_ng_restored_by_adding_two_eps(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        x[idx] += eps
        fp = f()
        x[idx] -= 2 * eps
        fm = f()
        x[idx] += 2 * eps  # "undo the two steps down"
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@right("numerical_gradient")
def s15_right_gradient_as_the_mean_of_one_sided_differences(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        old = float(x[idx])
        f0 = f()
        x[idx] = old + eps
        fp = f()
        x[idx] = old - eps
        fm = f()
        x[idx] = old
        grad[idx] = 0.5 * ((fp - f0) / eps + (f0 - fm) / eps)
    return grad


# --- s15 04 clip_gradients -----------------------------------------------------------------------


@wrong("clip_gradients", "einsum", "ij,ij", "1-D", "b", "biases", "ValueError", "vectors",
       "@norm", "@array 3")
def s15_cg_squares_by_an_einsum_for_matrices(grads, threshold):
    norm = np.sqrt(sum(np.einsum("ij,ij->", g, g) for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "row", "axis=-1", "sum of the row norms", "norm", "sqrt",
       "np.sum(g**2)", "@norm")
def s15_cg_norm_as_the_sum_of_row_norms(grads, threshold):
    norm = sum(float(np.sqrt((g ** 2).sum(axis=-1)).sum()) for g in grads)
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong("clip_gradients", "tanh", "soft", "smooth", "below the threshold", "unchanged",
       "scale", "factor", "@factor", "@array 0")
def s15_cg_soft_clipping_by_tanh(grads, threshold):
    return [threshold * np.tanh(g / threshold) for g in grads]  # "a smooth clip"


@wrong("clip_gradients", "np.clip", "value", "entries", "both", "twice", "norm", "@array 0",
       "@factor", "@norm")
def s15_cg_value_clipping_before_norm_clipping(grads, threshold):
    grads = [np.clip(g, -threshold, threshold) for g in grads]  # "belt and braces"
    norm = np.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@right("clip_gradients")
def s15_right_clip_by_vdot(grads, threshold):
    total = 0.0
    for g in grads:
        total += float(np.vdot(g, g))
    norm = total ** 0.5
    if norm <= threshold:
        return [np.array(g, dtype=float, copy=True) for g in grads]
    return [g * (threshold / norm) for g in grads]


# --- s15 05 train_rnn ----------------------------------------------------------------------------


def _s15_grads(U, W, V, b, c, X, Y, k, threshold):
    Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
    _, dY = my.mse_loss(Y_hat, Y)
    return my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)


@wrong("train_rnn", "np.sign", "sign", "gradient", "learning_rate * g", "size", "signSGD",
       "@update", "@epoch 0")
def s15_tr_updates_by_the_sign_of_the_gradient(params, X, Y, learning_rate, epochs, threshold,
                                               k):
    p = [a.copy() for a in params]
    for _ in range(epochs):
        grads = _s15_grads(*p, X, Y, k, threshold)
        p = [a - learning_rate * np.sign(g) for a, g in zip(p, grads, strict=True)]
    return p


@wrong("train_rnn", "X[:-1]", "last record", "validation", "held out", "every record", "N",
       "@epoch 0", "@records", "@loss")
def s15_tr_last_record_held_out_for_validation(params, X, Y, learning_rate, epochs, threshold,
                                               k):
    p = [a.copy() for a in params]
    X_train, Y_train = X[:-1], Y[:-1]  # "keep one record to validate on"
    for _ in range(epochs):
        grads = _s15_grads(*p, X_train, Y_train, k, threshold)
        p = [a - learning_rate * g for a, g in zip(p, grads, strict=True)]
    return p


@wrong("train_rnn", "dW.T", "transpos", "W", "square", "(H, H)", "@update of W", "@W",
       "@epoch 0")
def s15_tr_recurrent_weights_updated_with_the_transposed_gradient(params, X, Y, learning_rate,
                                                                  epochs, threshold, k):
    U, W, V, b, c = (a.copy() for a in params)
    for _ in range(epochs):
        dU, dW, dV, db, dc = _s15_grads(U, W, V, b, c, X, Y, k, threshold)
        U, V, b, c = U - learning_rate * dU, V - learning_rate * dV, b - learning_rate * db, \
            c - learning_rate * dc
        W = W - learning_rate * dW.T  # "W maps h_prev to h, like x @ W"
    return [U, W, V, b, c]


@wrong("train_rnn", "reshape(-1, 1)", "Y", "(N, O)", "O = 1", "column", "targets", "outputs",
       "@loss", "@epoch 0", "@mse_loss")
def s15_tr_targets_reshaped_to_one_column(params, X, Y, learning_rate, epochs, threshold, k):
    p = [a.copy() for a in params]
    y = Y.reshape(-1, 1)  # "targets as a column"
    for _ in range(epochs):
        grads = _s15_grads(*p, X, y, k, threshold)
        p = [a - learning_rate * g for a, g in zip(p, grads, strict=True)]
    return p


@right("train_rnn")
def s15_right_training_with_np_subtract_into_copies(params, X, Y, learning_rate, epochs,
                                                    threshold, k):
    trained = [np.copy(a) for a in params]
    epoch = 0
    while epoch < epochs:
        U, W, V, b, c = trained
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        dY = my.mse_loss(Y_hat, Y)[1]
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        for a, g in zip(trained, grads, strict=True):
            np.subtract(a, learning_rate * g, out=a)
        epoch += 1
    return trained


# --- s15 08 gru_step -----------------------------------------------------------------------------


@wrong("gru_step", "round", "0 or 1", "binary", "hard", "update gate", "z", "sigmoid",
       "@z", "@update gate")
def s15_gs_update_gate_rounded_to_a_switch(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = np.round(sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H]))  # "a gate"
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "np.split", "axis=1", "axis=0", "rows", "columns", "blocks", "D",
       "@r", "@reset gate", "@gates")
def s15_gs_blocks_split_along_the_columns(x_t, h_prev, U, W, b, b_n):
    U_r, U_z, U_n = np.split(U, 3, axis=1)  # "three blocks side by side"
    W_r, W_z, W_n = np.split(W, 3, axis=0)
    b_r, b_z, b_in = np.split(b, 3)
    r = sigmoid(x_t @ U_r.T + h_prev @ W_r.T + b_r)
    z = sigmoid(x_t @ U_z.T + h_prev @ W_z.T + b_z)
    n = np.tanh(x_t @ U_n.T + b_in + r * (h_prev @ W_n.T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "order", "n, z, r", "r, z, n", "reversed", "blocks", "[-H:]", "@r",
       "@reset gate", "@candidate")
def s15_gs_blocks_read_from_the_end(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = sigmoid(x_t @ U[-H:].T + h_prev @ W[-H:].T + b[-H:])  # "r is the last block"
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[:H].T + b[:H] + r * (h_prev @ W[:H].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "math.exp", "math", "np.exp", "one unit", "TypeError", "arrays", "sigmoid",
       "@r", "@reset gate", "@sigmoid")
def s15_gs_sigmoid_by_math_exp(x_t, h_prev, U, W, b, b_n):
    import math

    def sig(a):
        return 1 / (1 + math.exp(-a))  # "the formula from the slides"

    H = len(b_n)
    r = sig(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sig(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "len(b) // 2", "two gates", "3", "H", "len(b_n)", "hidden size", "// 3",
       "@r", "@reset gate", "@gates")
def s15_gs_hidden_size_from_half_the_bias(x_t, h_prev, U, W, b, b_n):
    H = len(b) // 2  # "a bias per gate, two gates"
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * (h_prev @ W[2 * H:].T + b_n))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s15_right_gru_with_reshaped_blocks(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    Ur, Uz, Un = U.reshape(3, H, -1)
    Wr, Wz, Wn = W.reshape(3, H, H)
    br, bz, bn_in = b.reshape(3, H)
    r = 0.5 * (1 + np.tanh(0.5 * (x_t @ Ur.T + h_prev @ Wr.T + br)))
    z = 0.5 * (1 + np.tanh(0.5 * (x_t @ Uz.T + h_prev @ Wz.T + bz)))
    n = np.tanh(x_t @ Un.T + bn_in + r * (h_prev @ Wn.T + b_n))
    return z * h_prev + (1 - z) * n


# --- s15 08 gru_step_backward --------------------------------------------------------------------


def _s15_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, through_u=False, n_for_m=False,
                  no_one_minus_z=False, summed=False):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    da_n = dh_t * (1 - n ** 2) if no_one_minus_z else dh_t * (1 - z) * (1 - n ** 2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * (n if n_for_m else m) * r * (1 - r)
    M = U if through_u else W
    dh_prev = dh_t * z + da_r @ M[:H] + da_z @ M[H:2 * H] + dm @ M[2 * H:]
    if summed:
        dh_prev = dh_prev.sum(axis=0)
    dU = np.vstack([da_r.T @ x_t, da_z.T @ x_t, da_n.T @ x_t])
    dW = np.vstack([da_r.T @ h_prev, da_z.T @ h_prev, dm.T @ h_prev])
    db = np.concatenate([da_r.sum(0), da_z.sum(0), da_n.sum(0)])
    return dh_prev, dU, dW, db, dm.sum(0)


@wrong("gru_step_backward", "U", "W", "dh_prev", "input weights", "through U", "h_prev",
       "@dh_prev")
def s15_gb_passed_back_through_the_input_weights(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s15_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, through_u=True)


@wrong("gru_step_backward", "n", "m", "h_prev @ W_n.T + b_n", "reset", "candidate",
       "recurrent part", "@da_r", "@reset gate", "@dU")
def s15_gb_reset_gradient_with_the_candidate_for_the_recurrent_part(dh_t, x_t, h_prev, U, W,
                                                                     b, b_n):
    return _s15_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, n_for_m=True)


@wrong("gru_step_backward", "1 - z", "(1 - z)", "candidate", "update gate", "factor", "mix",
       "@da_n", "@candidate", "@dU")
def s15_gb_candidate_error_without_one_minus_z(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s15_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, no_one_minus_z=True)


@wrong("gru_step_backward", "sum", "records", "axis=0", "(N, H)", "(H,)", "dh_prev", "per record",
       "@dh_prev")
def s15_gb_error_to_h_prev_summed_over_records(dh_t, x_t, h_prev, U, W, b, b_n):
    return _s15_gru_back(dh_t, x_t, h_prev, U, W, b, b_n, summed=True)


@right("gru_step_backward")
def s15_right_gru_backward_record_by_record(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    dh_prev = np.zeros_like(h_prev, dtype=float)
    dU, dW = np.zeros(U.shape), np.zeros(W.shape)
    db, db_n = np.zeros(3 * H), np.zeros(H)
    for i in range(len(x_t)):
        x, h, d = x_t[i], h_prev[i], dh_t[i]
        gx, gh = U @ x + b, W @ h
        r = 1 / (1 + np.exp(-(gx[:H] + gh[:H])))
        z = 1 / (1 + np.exp(-(gx[H:2 * H] + gh[H:2 * H])))
        m = gh[2 * H:] + b_n
        n = np.tanh(gx[2 * H:] + r * m)
        a_n = d * (1 - z) * (1 - n * n)
        a_z = d * (h - n) * z * (1 - z)
        a_r = a_n * m * r * (1 - r)
        a_in = np.concatenate([a_r, a_z, a_n])
        a_h = np.concatenate([a_r, a_z, a_n * r])
        dh_prev[i] = d * z + W.T @ a_h
        dU += np.outer(a_in, x)
        dW += np.outer(a_h, h)
        db += a_in
        db_n += a_n * r
    return dh_prev, dU, dW, db, db_n


# --- s15 09 sequence_backward_step ---------------------------------------------------------------


@wrong("sequence_backward_step", "float32", "dtype", "float64", "precision", "g_t", "memory",
       "@g_t", "@dtype")
def s15_sb_error_kept_in_a_float32_buffer(dh_next, dy_hat_t, h_t, W, V):
    g = np.zeros(dh_next.shape, dtype=np.float32)  # "a long sequence: save memory"
    g += dh_next
    g += dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "range(N - 1)", "last record", "one short", "records", "loop",
       "N", "@dV_t")
def s15_sb_readout_share_by_a_record_loop_one_short(dh_next, dy_hat_t, h_t, W, V):
    g = dh_next + dy_hat_t @ V
    delta = g * (1 - h_t ** 2)
    dV = np.zeros(V.shape)
    for n in range(len(h_t) - 1):  # "n goes up to N - 1"
        dV += np.outer(dy_hat_t[n], h_t[n])
    return g, delta, delta @ W, dV


@wrong("sequence_backward_step", "g_t", "dh_next", "own output", "both", "sum", "return",
       "@g_t")
def s15_sb_own_part_returned_as_g(dh_next, dy_hat_t, h_t, W, V):
    own = dy_hat_t @ V
    g = dh_next + own
    delta = g * (1 - h_t ** 2)
    return own, delta, delta @ W, dy_hat_t.T @ h_t  # meant g


@wrong("sequence_backward_step", "/ 2", "average", "mean", "sum", "two streams", "+", "@g_t",
       "@own output")
def s15_sb_two_streams_averaged(dh_next, dy_hat_t, h_t, W, V):
    g = 0.5 * (dh_next + dy_hat_t @ V)  # "balance the two sources"
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s15_right_sequence_step_by_einsum(dh_next, dy_hat_t, h_t, W, V):
    g = np.add(dh_next, np.einsum("no,oh->nh", dy_hat_t, V))
    delta = g * (1 - h_t) * (1 + h_t)
    return g, delta, np.einsum("nh,hk->nk", delta, W), np.einsum("no,nh->oh", dy_hat_t, h_t)


# --- s15 09 temperature_probabilities ------------------------------------------------------------


@wrong("temperature_probabilities", "gumbel", "random", "noise", "sample", "deterministic",
       "probabilities", "@probabilities", "@scores")
def s15_tp_gumbel_noise_added_to_the_scores(y_hat, temperature):
    rng = np.random.default_rng(0)
    a = (y_hat + rng.gumbel(size=y_hat.shape)) / temperature  # "sampling needs noise"
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "y_hat[0]", "one row", "first row", "N = 1", "(N, V)",
       "records", "@probabilities", "@row")
def s15_tp_written_for_one_row(y_hat, temperature):
    a = y_hat[0] / temperature  # generation feeds one character
    e = np.exp(a - a.max())
    return e / e.sum()


@wrong("temperature_probabilities", "sqrt", "np.sqrt(temperature)", "temperature", "divide",
       "y_hat / temperature", "@scores", "@temperature")
def s15_tp_scores_divided_by_the_root_of_the_temperature(y_hat, temperature):
    a = y_hat / np.sqrt(temperature)  # like attention's sqrt(d)
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "order", "temperature, y_hat", "arguments", "swapped",
       "parameters", "signature", "@scores", "@temperature")
def s15_tp_parameters_in_another_order(temperature, y_hat):
    a = y_hat / temperature
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@right("temperature_probabilities")
def s15_right_temperature_by_logaddexp(y_hat, temperature):
    a = np.asarray(y_hat, dtype=float) / temperature
    lse = np.logaddexp.reduce(a, axis=1, keepdims=True)
    return np.exp(a - lse)


# --- set "s16": written in session 9 as a held-out set, without reading the checkers or tests --

SET = "s16"

# --- s16 01 make_windows -------------------------------------------------------------------------


@wrong("make_windows", "np.roll", "axis=0", "axis", "flatten", "channel", "D", "@X", "@window")
def s16_mw_shifted_copies_by_roll_without_an_axis(series, T):
    N = len(series) - T
    X = np.stack([np.roll(series, -t)[:N] for t in range(T)], axis=1)  # roll flattens for D > 1
    return X, series[T:].copy()


@wrong("make_windows", "reshape", "(N, D, T)", "transpose", "(N, T, D)", "axis", "@X",
       "@windows")
def s16_mw_windows_reshaped_channels_first(series, T):
    N, D = len(series) - T, series.shape[1]
    X = np.array([series[i:i + T].T for i in range(N)])  # (N, D, T): "a channel per row"
    return X.reshape(N, D, T), series[T:].copy()


@wrong("make_windows", "zip", "one window too many", "L - T + 1", "last window", "no target",
       "N = L - T", "@X", "@windows")
def s16_mw_windows_by_zipping_shifted_slices(series, T):
    X = np.array(list(zip(*[series[t:] for t in range(T)], strict=False)))  # L - T + 1
    return X, series[T:].copy()


@wrong("make_windows", "indent", "loop", "i + T", "after the loop", "one target", "last",
       "series[T:]", "@Y", "@targets")
def s16_mw_target_read_after_the_loop(series, T):
    X = []
    for i in range(len(series) - T):
        X.append(series[i:i + T])
    Y = series[i + T:]  # dedented: i is the last start
    return np.array(X), Y


@right("make_windows")
def s16_right_windows_by_fancy_index_with_broadcast_ranges(series, T):
    N = series.shape[0] - T
    idx = np.arange(N)[:, None] + np.arange(T)[None, :]  # (N, T)
    return series[idx], series[np.arange(N) + T]


# --- s16 02 forward_step -------------------------------------------------------------------------


@wrong("forward_step", "math.tanh", "flat", "list", "shape", "(N, H)", "reshape", "1-D",
       "@output")
def s16_fs_tanh_by_math_over_the_flat_values(x_t, h_prev, U, W, b):
    import math
    a = x_t @ U.T + h_prev @ W.T + b
    return np.array([math.tanh(v) for v in a.flat])


@wrong("forward_step", "concatenat", "order", "hstack", "[U, W]", "x_t, h_prev", "W", "U",
       "@input's part", "@state's part", "@output")
def s16_fs_joint_weights_in_the_other_order(x_t, h_prev, U, W, b):
    z = np.hstack([x_t, h_prev])
    M = np.hstack([W, U])  # joint matrix written [W, U] against the input [x, h]
    return np.tanh(z @ M.T + b)


@wrong("forward_step", "np.inner", "order", "(H, N)", "transpose", "inner(x_t, U)", "shape",
       "@input's part", "@output")
def s16_fs_np_inner_with_the_weights_first(x_t, h_prev, U, W, b):
    a = np.inner(U, x_t) + np.inner(W, h_prev)  # (H, N)
    return np.tanh(a + b[:, None]).reshape(x_t.shape[0], -1)


@wrong("forward_step", "einsum", "->nh", "implicit", "output", "alphabetical", "(H, N)",
       "transpose", "@input's part", "@output")
def s16_fs_einsum_without_an_output_spec(x_t, h_prev, U, W, b):
    a = np.einsum("nd,hd", x_t, U) + np.einsum("nk,hk", h_prev, W)  # implicit output "hn"
    return np.tanh(a + b)


@right("forward_step")
def s16_right_step_by_matmul_of_stacked_records(x_t, h_prev, U, W, b):
    a = np.matmul(U, x_t[:, :, None])[:, :, 0] + np.matmul(W, h_prev[:, :, None])[:, :, 0]
    return np.tanh(a + b[None, :])


# --- s16 02 rnn_forward --------------------------------------------------------------------------


@wrong("rnn_forward", "reshape", "V.T", "transpose", "V.reshape", "O", "(H, O)", "@Y_hat",
       "@output")
def s16_rf_readout_by_reshape_instead_of_transpose(X, U, W, V, b, c):
    N, T, _ = X.shape
    H, O = W.shape[0], V.shape[0]
    states = [np.zeros((N, H))]
    for t in range(T):
        states.append(np.tanh(X[:, t] @ U.T + states[-1] @ W.T + b))
    return states[-1] @ V.reshape(H, O) + c, np.array(states)


@wrong("rnn_forward", "pre-activation", "tanh", "a_t", "states", "np.tanh", "h_t", "@states[1]",
       "@step 1", "@states")
def s16_rf_pre_activations_stored_as_states(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        a = X[:, t] @ U.T + h @ W.T + b
        states.append(a)  # "store the step's result"
        h = np.tanh(a)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "X[0]", "X[:, t]", "first record", "records", "every record", "N = 1",
       "@step 1", "@states[1]", "@input")
def s16_rf_time_steps_of_the_first_record(X, U, W, V, b, c):
    N = X.shape[0]
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for x_t in X[0]:  # "the time steps of X"
        h = np.tanh(x_t @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.array(states)


@wrong("rnn_forward", "(1, H)", "(N, H)", "h_0", "states[0]", "N", "broadcast", "shape",
       "@h_0", "@states[0]", "@states")
def s16_rf_initial_state_as_one_row(X, U, W, V, b, c):
    N, T, _ = X.shape
    H = W.shape[0]
    states = [np.zeros((1, H))]  # broadcasts over the records
    for t in range(T):
        states.append(np.tanh(X[:, t] @ U.T + states[-1] @ W.T + b))
    return states[-1] @ V.T + c, np.stack(states)


@right("rnn_forward")
def s16_right_forward_with_the_joint_matrix(X, U, W, V, b, c):
    N, T, D = X.shape
    H = W.shape[0]
    M = np.concatenate([U, W], axis=1)  # (H, D + H)
    states = [np.zeros((N, H))]
    for t in range(T):
        z = np.concatenate([X[:, t, :], states[t]], axis=1)
        states.append(np.tanh(z @ M.T + b))
    states = np.stack(states, axis=0)
    return np.dot(states[T], V.T) + c, states


# --- s16 03 mse_loss -----------------------------------------------------------------------------


@wrong("mse_loss", "sum", "before squaring", "axis=1", "O", "outputs", "square", "@L", "@loss")
def s16_ml_errors_summed_over_outputs_before_squaring(Y_hat, Y):
    e = Y_hat - Y
    L = 0.5 * np.mean(np.sum(e, axis=1) ** 2)  # equal for O = 1
    return L, e / len(e)


@wrong("mse_loss", "axis=0", "float", "scalar", "array", "(O,)", "sum", "number", "@L",
       "@loss")
def s16_ml_loss_summed_over_records_only(Y_hat, Y):
    e = Y_hat - Y
    N = e.shape[0]
    return 0.5 * np.sum(e ** 2, axis=0) / N, e / N  # one loss per output


@wrong("mse_loss", "[0]", "first output", "O", "all outputs", "sum", "mean(axis=0)", "@L",
       "@loss")
def s16_ml_loss_of_the_first_output_only(Y_hat, Y):
    e = Y_hat - Y
    L = 0.5 * (e ** 2).mean(axis=0)[0]  # "the" output
    return float(L), e / e.shape[0]


@wrong("mse_loss", "shape[-1]", "shape[0]", "N", "O", "records", "axis", "@dY_hat",
       "@gradient", "@L")
def s16_ml_record_count_from_the_last_axis(Y_hat, Y):
    e = Y_hat - Y
    N = Y.shape[-1]  # "the length of Y"
    return 0.5 * float(np.sum(e * e)) / N, e / N


@right("mse_loss")
def s16_right_loss_by_a_python_loop(Y_hat, Y):
    N, O = Y_hat.shape
    total = 0.0
    for n in range(N):
        for o in range(O):
            d = float(Y_hat[n, o]) - float(Y[n, o])
            total += d * d
    return total / (2 * N), (np.asarray(Y_hat, dtype=float) - Y) * (1.0 / N)


# --- s16 03 backward_step ------------------------------------------------------------------------


@wrong("backward_step", "einsum", "->hd", "implicit", "output", "alphabetical", "(D, H)",
       "transpose", "@dU", "@dU_t", "@dW")
def s16_bs_einsum_without_an_output_spec(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dU = np.einsum("nh,nd", delta, x_t)  # implicit output "dh"
    dW = np.einsum("nh,nk", delta, h_prev)  # "hk", right by luck of the letters
    return delta, delta @ W, dU, dW, delta.sum(axis=0)


@wrong("backward_step", "sum", "derivative", "records", "1 - h_t ** 2", "axis=0", "per record",
       "@delta", "@delta_t")
def s16_bs_derivative_summed_over_records(dh_t, h_t, h_prev, x_t, W):
    d = (1 - h_t ** 2).sum(axis=0)  # one derivative per unit
    delta = dh_t * d
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "tensordot", "axes", "axes=2", "axes=(0, 0)", "scalar", "(H, D)",
       "@dU", "@dU_t")
def s16_bs_tensordot_with_its_default_axes(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dU = np.tensordot(delta, x_t)  # default axes=2: one number
    dW = np.tensordot(delta.T, h_prev, axes=1)
    return delta, delta @ W, dU, dW, delta.sum(axis=0)


@wrong("backward_step", "sum", "records", "axis=0", "matmul", "(N, H, D)", "batched", "outer",
       "@dU", "@dU_t")
def s16_bs_per_record_outer_products_never_summed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t ** 2)
    dU = np.matmul(delta[:, :, None], x_t[:, None, :])  # (N, H, D): one share per record
    dW = np.matmul(delta[:, :, None], h_prev[:, None, :])
    return delta, delta @ W, dU, dW, delta.sum(axis=0)


@right("backward_step")
def s16_right_step_record_by_record_with_outer(dh_t, h_t, h_prev, x_t, W):
    delta = np.empty_like(dh_t, dtype=float)
    dU = np.zeros((dh_t.shape[1], x_t.shape[1]))
    dW = np.zeros((dh_t.shape[1], h_prev.shape[1]))
    for n in range(len(dh_t)):
        delta[n] = dh_t[n] * (1.0 - h_t[n] * h_t[n])
        dU += np.outer(delta[n], x_t[n])
        dW += np.outer(delta[n], h_prev[n])
    return delta, W.T.dot(delta.T).T, dU, dW, delta.sum(axis=0)


# --- s16 03 bptt ---------------------------------------------------------------------------------


@wrong("bptt", "negative index", "states[-k:]", "wrap", "[-1]", "h_prev", "k = T", "window",
       "h_0", "@dW", "@step")
def s16_bp_window_slices_with_a_wrapping_previous_state(dY_hat, X, states, W, V, k):
    Xs, Hs = X[:, -k:], states[-k:]  # the last k inputs and states
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape), np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in reversed(range(k)):
        delta = dh * (1 - Hs[t] ** 2)
        dU += delta.T @ Xs[:, t]
        dW += delta.T @ Hs[t - 1]  # at t = 0 this is Hs[-1], the last state
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[-1], db, dY_hat.sum(axis=0)


@wrong("bptt", "np.flip", "axis=0", "axis=1", "time", "records", "reverse", "flip", "@dU",
       "@step")
def s16_bp_inputs_reversed_along_the_records(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    Xr = np.flip(X, axis=0)  # "walk the inputs backwards"
    Sr = states[::-1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape), np.zeros(W.shape[0])
    dh = dY_hat @ V
    for s in range(k):
        delta = dh * (1 - Sr[s] ** 2)
        dU += delta.T @ Xr[:, T - 1 - s]
        dW += delta.T @ Sr[s + 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "clip", "np.clip", "exploding", "clip_gradients", "dh", "passed back", "@step",
       "@dW", "@dU")
def s16_bp_error_clipped_at_every_step(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape), np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = dh * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = np.clip(delta @ W, -0.1, 0.1)  # "against exploding gradients"
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "h", "stale", "loop variable", "states[T]", "last state", "dV", "after the loop",
       "@dV")
def s16_bp_readout_share_from_the_loops_last_state(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU, dW, db = np.zeros((W.shape[0], X.shape[2])), np.zeros(W.shape), np.zeros(W.shape[0])
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        h = states[t]
        delta = dh * (1 - h ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh = delta @ W
    return dU, dW, dY_hat.T @ h, db, dY_hat.sum(axis=0)  # h is states[T - k + 1] now


@right("bptt")
def s16_right_bptt_with_einsum_over_the_window(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    deltas = []
    dh = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = dh * (1.0 - np.square(states[t]))
        deltas.append(delta)
        dh = delta @ W
    D = np.stack(deltas[::-1])  # (k, N, H), steps T - k + 1 .. T
    dU = np.einsum("knh,knd->hd", D, X[:, T - k:].transpose(1, 0, 2))
    dW = np.einsum("knh,knj->hj", D, states[T - k:T])
    return dU, dW, dY_hat.T @ states[T], D.sum(axis=(0, 1)), dY_hat.sum(axis=0)


# --- s16 03 numerical_gradient -------------------------------------------------------------------


@wrong("numerical_gradient", "x[idx] += eps", "scalar", "copy", "view", "write", "zero",
       "in place", "@x", "@element")
def s16_ng_element_nudged_through_a_scalar_copy(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        xi = x[idx]  # a numpy scalar: a copy, not a view
        xi += eps
        fp = f()
        xi -= 2 * eps
        fm = f()
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "x[idx] = eps", "+=", "old + eps", "assign", "value", "@x",
       "@element")
def s16_ng_value_set_to_eps_instead_of_moved(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = eps
        fp = f()
        x[idx] = -eps
        fm = f()
        x[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "x.flat", "flat index", "tuple", "x[idx]", "np.ndindex", "2-D",
       "@element", "@x")
def s16_ng_tuple_index_into_x_flat(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = np.array(x.flat[idx])  # for 2-D x, idx (i, j) picks two flat entries
        x.flat[idx] = old + eps
        fp = f()
        x.flat[idx] = old - eps
        fm = f()
        x.flat[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@wrong("numerical_gradient", "list(idx)", "tuple", "fancy index", "rows", "x[idx]", "2-D",
       "@element", "@x")
def s16_ng_index_turned_into_a_list(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        i = list(idx)  # for 2-D x, x[[i, j]] picks rows i and j
        x[i] += eps
        fp = f()
        x[i] -= 2 * eps
        fm = f()
        x[i] += eps
        grad[idx] = (fp - fm) / (2 * eps)
    return grad


@right("numerical_gradient")
def s16_right_gradient_through_x_flat(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = float(x.flat[i])
        x.flat[i] = old + eps
        fp = f()
        x.flat[i] = old - eps
        fm = f()
        x.flat[i] = old
        grad.flat[i] = (fp - fm) / (eps + eps)
    return grad


# --- s16 04 clip_gradients -----------------------------------------------------------------------


@wrong("clip_gradients", "return", "None", "else", "below the threshold", "unchanged", "copies",
       "@result", "@clipped")
def s16_cg_nothing_returned_below_the_threshold(grads, threshold):
    norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads))
    if norm > threshold:
        return [g * (threshold / norm) for g in grads]


@wrong("clip_gradients", "last array", "accumulate", "+=", "total", "global norm", "loop",
       "@norm")
def s16_cg_norm_of_the_last_array_only(grads, threshold):
    for g in grads:
        norm = np.linalg.norm(g)  # overwritten each time round
    if norm > threshold:
        return [g * (threshold / norm) for g in grads]
    return [g.copy() for g in grads]


@wrong("clip_gradients", "sqrt", "twice", "np.sqrt(norm)", "threshold / norm", "factor",
       "@factor", "@scale")
def s16_cg_factor_from_the_root_of_the_norm(grads, threshold):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    if norm <= threshold:
        return [g.copy() for g in grads]
    scale = threshold / np.sqrt(norm)  # the square root taken again
    return [g * scale for g in grads]


@wrong("clip_gradients", "tolist", "list", "array", "ndarray", "Python", "numpy", "@result",
       "@clipped")
def s16_cg_arrays_returned_as_python_lists(grads, threshold):
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    scale = threshold / norm if norm > threshold else 1.0
    return [(g * scale).tolist() for g in grads]  # "plain Python for printing"


@right("clip_gradients")
def s16_right_clip_by_a_concatenated_ravel(grads, threshold):
    flat = np.concatenate([np.ravel(g) for g in grads])
    norm = float(np.sqrt(flat @ flat))
    factor = threshold / norm if norm > threshold else 1.0
    return [np.multiply(g, factor) for g in grads]


# --- s16 05 train_rnn ----------------------------------------------------------------------------


@wrong("train_rnn", "<=", "epochs", "one epoch too many", "range(epochs)", "while", "extra",
       "@epoch")
def s16_tr_one_epoch_too_many_by_while(params, X, Y, learning_rate, epochs, threshold, k):
    trained = [p.copy() for p in params]
    epoch = 0
    while epoch <= epochs:
        U, W, V, b, c = trained
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
        epoch += 1
    return trained


@wrong("train_rnn", "clip_gradients", "parameters", "weights", "gradients", "trained",
       "clip", "@update", "@epoch")
def s16_tr_parameters_clipped_instead_of_gradients(params, X, Y, learning_rate, epochs,
                                                  threshold, k):
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        U, W, V, b, c = trained
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.bptt(dY, X, states, W, V, k)
        trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
        trained = my.clip_gradients(trained, threshold)  # "keep the weights bounded"
    return trained


@wrong("train_rnn", "copy", "params", "list", "trained = params", "caller", "modif",
       "@params", "@epoch")
def s16_tr_list_entries_replaced_in_the_callers_list(params, X, Y, learning_rate, epochs,
                                                    threshold, k):
    trained = params  # the same list
    for _ in range(epochs):
        U, W, V, b, c = trained
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, W, V, k)), threshold)
        for i, g in enumerate(grads):
            trained[i] = trained[i] - learning_rate * g
    return trained


@wrong("train_rnn", "U", "W", "bptt", "argument", "recurrent", "bptt(dY, X, states, W, V, k)",
       "@bptt", "@epoch")
def s16_tr_input_weights_passed_to_bptt_for_w(params, X, Y, learning_rate, epochs, threshold,
                                              k):
    trained = [p.copy() for p in params]
    for _ in range(epochs):
        U, W, V, b, c = trained
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY = my.mse_loss(Y_hat, Y)
        grads = my.clip_gradients(list(my.bptt(dY, X, states, U, V, k)), threshold)
        trained = [p - learning_rate * g for p, g in zip(trained, grads, strict=True)]
    return trained


@right("train_rnn")
def s16_right_training_with_a_dict_of_parameters(params, X, Y, learning_rate, epochs, threshold,
                                                 k):
    names = ("U", "W", "V", "b", "c")
    p = {n: np.array(a, dtype=float) for n, a in zip(names, params, strict=True)}
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, p["U"], p["W"], p["V"], p["b"], p["c"])
        dY = my.mse_loss(Y_hat, Y)[1]
        g = my.bptt(dY, X, states, p["W"], p["V"], k)
        g = my.clip_gradients(list(g), threshold)
        p = {n: p[n] - learning_rate * gi for n, gi in zip(names, g, strict=True)}
    return [p[n] for n in names]


# --- s16 08 gru_step -----------------------------------------------------------------------------


@wrong("gru_step", "parenthes", "r *", "input", "x_t", "candidate", "reset", "only the state",
       "@the candidate", "@n")
def s16_gs_reset_over_the_whole_candidate_sum(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = 1 / (1 + np.exp(-(gx[:, :H] + gh[:, :H])))
    z = 1 / (1 + np.exp(-(gx[:, H:2 * H] + gh[:, H:2 * H])))
    n = np.tanh(r * (gx[:, 2 * H:] + gh[:, 2 * H:] + b_n))
    return z * h_prev + (1 - z) * n


@wrong("gru_step", "r * h_prev", "reset", "mix", "z * h_prev", "update", "final", "@h_t",
       "@mix", "@output")
def s16_gs_reset_state_in_the_final_mix(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = 1 / (1 + np.exp(-(gx[:, :H] + gh[:, :H])))
    z = 1 / (1 + np.exp(-(gx[:, H:2 * H] + gh[:, H:2 * H])))
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    return z * (r * h_prev) + (1 - z) * n


@wrong("gru_step", "out=z", "1 - z", "buffer", "overwrit", "in place", "z", "@mix", "@h_t",
       "@z")
def s16_gs_one_minus_z_written_over_z(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = 1 / (1 + np.exp(-(gx[:, :H] + gh[:, :H])))
    z = 1 / (1 + np.exp(-(gx[:, H:2 * H] + gh[:, H:2 * H])))
    n = np.tanh(gx[:, 2 * H:] + r * (gh[:, 2 * H:] + b_n))
    keep = np.subtract(1.0, z, out=z)  # "no new array"
    return z * h_prev + keep * n


@wrong("gru_step", "precedence", "parenthes", "r * h_prev @", "(r * h_prev) @", "reset",
       "r * (", "@the candidate", "@n")
def s16_gs_reset_distributed_with_the_product_first(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    r = 1 / (1 + np.exp(-(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])))
    z = 1 / (1 + np.exp(-(x_t @ U[H:2 * H].T + h_prev @ W[H:2 * H].T + b[H:2 * H])))
    n = np.tanh(x_t @ U[2 * H:].T + b[2 * H:] + r * h_prev @ W[2 * H:].T + r * b_n)
    return z * h_prev + (1 - z) * n


@right("gru_step")
def s16_right_gru_by_einsum_on_the_stacked_blocks(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    Ub, Wb, bb = U.reshape(3, H, -1), W.reshape(3, H, H), b.reshape(3, H)
    gx = np.einsum("nd,ghd->gnh", x_t, Ub) + bb[:, None, :]
    gh = np.einsum("nk,ghk->gnh", h_prev, Wb)
    r, z = (np.tanh((gx[:2] + gh[:2]) / 2) + 1) / 2
    n = np.tanh(gx[2] + r * (gh[2] + b_n))
    return n + z * (h_prev - n)


# --- s16 08 gru_step_backward --------------------------------------------------------------------


def _s16_gru_parts(x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx, gh = x_t @ U.T + b, h_prev @ W.T
    r = 1 / (1 + np.exp(-(gx[:, :H] + gh[:, :H])))
    z = 1 / (1 + np.exp(-(gx[:, H:2 * H] + gh[:, H:2 * H])))
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    return r, z, m, n


@wrong("gru_step_backward", "dh_t *=", "in place", "dh_t", "1 - z", "modif", "copy", "@z",
       "@dh_prev", "@the update gate")
def s16_gb_incoming_error_scaled_in_place(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s16_gru_parts(x_t, h_prev, U, W, b, b_n)
    dh_t *= 1 - z  # dn, reusing dh_t's memory
    a_n = dh_t * (1 - n ** 2)
    a_z = dh_t * (h_prev - n) * z * (1 - z)
    a_r = a_n * m * r * (1 - r)
    a_in = np.concatenate([a_r, a_z, a_n], axis=1)
    a_h = np.concatenate([a_r, a_z, a_n * r], axis=1)
    return (dh_t * z + a_h @ W, a_in.T @ x_t, a_h.T @ h_prev, a_in.sum(axis=0),
            (a_n * r).sum(axis=0))


@wrong("gru_step_backward", "axis=1", "axis=0", "records", "db_n", "(H,)", "sum", "@db_n")
def s16_gb_candidate_bias_summed_over_units(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s16_gru_parts(x_t, h_prev, U, W, b, b_n)
    a_n = dh_t * (1 - z) * (1 - n ** 2)
    a_z = dh_t * (h_prev - n) * z * (1 - z)
    a_r = a_n * m * r * (1 - r)
    a_in = np.concatenate([a_r, a_z, a_n], axis=1)
    a_h = np.concatenate([a_r, a_z, a_n * r], axis=1)
    return (dh_t * z + a_h @ W, a_in.T @ x_t, a_h.T @ h_prev, a_in.sum(axis=0),
            (a_n * r).sum(axis=1))


@wrong("gru_step_backward", "r * (1 - r)", "1 - z", "copy", "sigmoid'", "reset", "r",
       "@r", "@the reset gate")
def s16_gb_reset_derivative_with_the_update_gate(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s16_gru_parts(x_t, h_prev, U, W, b, b_n)
    a_n = dh_t * (1 - z) * (1 - n ** 2)
    a_z = dh_t * (h_prev - n) * z * (1 - z)
    a_r = a_n * m * r * (1 - z)  # copied from the line above
    a_in = np.concatenate([a_r, a_z, a_n], axis=1)
    a_h = np.concatenate([a_r, a_z, a_n * r], axis=1)
    return (dh_t * z + a_h @ W, a_in.T @ x_t, a_h.T @ h_prev, a_in.sum(axis=0),
            (a_n * r).sum(axis=0))


@wrong("gru_step_backward", "tuple", "concatenate", "(3H,)", "db", "three", "one array",
       "@db")
def s16_gb_bias_gradient_as_three_pieces(dh_t, x_t, h_prev, U, W, b, b_n):
    r, z, m, n = _s16_gru_parts(x_t, h_prev, U, W, b, b_n)
    a_n = dh_t * (1 - z) * (1 - n ** 2)
    a_z = dh_t * (h_prev - n) * z * (1 - z)
    a_r = a_n * m * r * (1 - r)
    a_in = np.concatenate([a_r, a_z, a_n], axis=1)
    a_h = np.concatenate([a_r, a_z, a_n * r], axis=1)
    db = (a_r.sum(axis=0), a_z.sum(axis=0), a_n.sum(axis=0))  # one per gate
    return dh_t * z + a_h @ W, a_in.T @ x_t, a_h.T @ h_prev, db, (a_n * r).sum(axis=0)


@right("gru_step_backward")
def s16_right_gru_backward_with_einsum_and_logistic_by_tanh(dh_t, x_t, h_prev, U, W, b, b_n):
    H = len(b_n)
    gx = np.einsum("nd,gd->ng", x_t, U) + b
    gh = np.einsum("nk,gk->ng", h_prev, W)
    r = 0.5 + 0.5 * np.tanh(0.5 * (gx[:, :H] + gh[:, :H]))
    z = 0.5 + 0.5 * np.tanh(0.5 * (gx[:, H:2 * H] + gh[:, H:2 * H]))
    m = gh[:, 2 * H:] + b_n
    n = np.tanh(gx[:, 2 * H:] + r * m)
    dn = dh_t - dh_t * z
    a_n = dn - dn * n * n
    a_z = dh_t * (h_prev - n) * (z - z * z)
    a_m = a_n * r
    a_r = a_n * m * (r - r * r)
    a_in = np.hstack([a_r, a_z, a_n])
    a_h = np.hstack([a_r, a_z, a_m])
    return (dh_t * z + np.einsum("ng,gk->nk", a_h, W), np.einsum("ng,nd->gd", a_in, x_t),
            np.einsum("ng,nk->gk", a_h, h_prev), a_in.sum(0), a_m.sum(0))


# --- s16 09 sequence_backward_step ---------------------------------------------------------------


@wrong("sequence_backward_step", "order", "before", "derivative", "dy_hat_t @ V", "g", "delta",
       "dh_next", "@delta", "@g")
def s16_sb_output_error_added_after_the_derivative(dh_next, dy_hat_t, h_t, W, V):
    delta = dh_next * (1 - h_t ** 2)
    g = delta + dy_hat_t @ V  # "the output's share joins here"
    return g, g, g @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "dh_next +=", "in place", "dh_next", "modif", "copy", "@g",
       "@dh_next")
def s16_sb_output_share_added_into_dh_next(dh_next, dy_hat_t, h_t, W, V):
    dh_next += dy_hat_t @ V  # g, without a new array
    delta = dh_next * (1 - h_t ** 2)
    return dh_next, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "einsum", "->nh", "implicit", "output", "alphabetical",
       "(H, N)", "transpose", "@g")
def s16_sb_einsum_without_an_output_spec(dh_next, dy_hat_t, h_t, W, V):
    own = np.einsum("no,oh", dy_hat_t, V)  # implicit output "hn"
    g = dh_next + own
    delta = g * (1 - h_t ** 2)
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "twice", "dy_hat_t @ V", "g", "own output", "once", "delta",
       "@delta")
def s16_sb_own_output_counted_again_in_delta(dh_next, dy_hat_t, h_t, W, V):
    own = dy_hat_t @ V
    g = dh_next + own
    delta = (g + own) * (1 - h_t ** 2)  # "the output joins here too"
    return g, delta, delta @ W, dy_hat_t.T @ h_t


@right("sequence_backward_step")
def s16_right_sequence_step_record_by_record(dh_next, dy_hat_t, h_t, W, V):
    g = np.array(dh_next, dtype=float, copy=True)
    dV = np.zeros(V.shape)
    for n in range(len(h_t)):
        g[n] = g[n] + V.T @ dy_hat_t[n]
        dV += np.outer(dy_hat_t[n], h_t[n])
    delta = g * (1 - np.tanh(np.arctanh(h_t)) ** 2)
    return g, delta, (W.T @ delta.T).T, dV


# --- s16 09 temperature_probabilities ------------------------------------------------------------


@wrong("temperature_probabilities", "max(", "np.max", "Python", "builtin", "axis=1", "rows",
       "@scores", "@probabilities")
def s16_tp_shift_by_python_max(y_hat, temperature):
    a = y_hat / temperature
    e = np.exp(a - max(a))  # builtin max compares whole rows
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", ".T", "transpose", "keepdims", "(N, 1)", "row sums",
       "broadcast", "@probabilities", "@sum")
def s16_tp_row_sums_transposed(y_hat, temperature):
    a = y_hat / temperature
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True).T  # "a row of sums"


@wrong("temperature_probabilities", "cumsum", "cumulative", "distribution", "sampling",
       "probabilities", "sum to 1", "@probabilities")
def s16_tp_cumulative_distribution_for_sampling(y_hat, temperature):
    a = y_hat / temperature
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return np.cumsum(e / e.sum(axis=1, keepdims=True), axis=1)  # ready for searchsorted


@wrong("temperature_probabilities", "[0]", "first row", "row sums", "each row", "keepdims",
       "N = 1", "@probabilities", "@sum")
def s16_tp_every_row_divided_by_the_first_rows_sum(y_hat, temperature):
    a = y_hat / temperature
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)[0]  # right when N = 1


@right("temperature_probabilities")
def s16_right_temperature_by_log_sum_exp(y_hat, temperature):
    a = np.true_divide(y_hat, temperature)
    m = np.max(a, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True))
    return np.exp(a - lse)


# --- the table -----------------------------------------------------------------------------------

GENERIC = ("right shape but wrong values", "close but not equal", "differs from",
           "relative error above")
OBSERVED = ("times the same factor",)  # a precise observation, without a cause
# verdicts whose sorting by fragments was wrong, sorted by reading the message
# === set s17: a held-out set written without the checkers' code, tests or messages ==============

SET = "s17"

# --- s17 01 make_windows ---


@wrong(
    "make_windows", "one window too many", "too many", "L - T + 1", "no target", "last window", "@X"
)
def s17_mw_sliding_view_keeps_the_last_window(series, T):
    # sliding_window_view gives exactly the windows I need, one per start
    X = np.lib.stride_tricks.sliding_window_view(series, T, axis=0).transpose(0, 2, 1).copy()
    Y = series[T:]
    return X, Y


@wrong("make_windows", "one window too few", "too few", "L - T - 1", "last window", "@X", "@Y")
def s17_mw_range_stops_one_early(series, T):
    L = series.shape[0]
    N = L - T - 1  # the last index is excluded, so one less
    X = np.stack([series[i : i + T] for i in range(N)])
    Y = np.stack([series[i + T] for i in range(N)])
    return X, Y


@wrong(
    "make_windows", "own last value", "last value", "i + T - 1", "T - 1", "inside the window", "@Y"
)
def s17_mw_target_is_last_value_of_window(series, T):
    N = series.shape[0] - T
    X = np.stack([series[i : i + T] for i in range(N)])
    Y = np.stack([X[i, T - 1] for i in range(N)])  # the window ends at its target
    return X, Y


@wrong("make_windows", "swapped", "(N, D, T)", "transpose", "time and channel", "axes", "@X")
def s17_mw_sliding_view_window_axis_last(series, T):
    N = series.shape[0] - T
    X = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)[:N]
    Y = series[T:]
    return X, Y


@wrong("make_windows", "channel axis", "squeeze", "(N, T)", "dropped", "D = 1", "@X")
def s17_mw_squeezes_away_the_channel(series, T):
    N = len(series) - T
    X = np.squeeze(np.array([series[i : i + T] for i in range(N)]))  # tidy away the singleton axes
    Y = series[T:]
    return X, Y


@wrong(
    "make_windows",
    "first channel",
    "channel 0",
    "only one channel",
    "D = 1",
    "channels",
    "@X",
    "@Y",
)
def s17_mw_only_first_channel(series, T):
    s = series[:, 0]  # the series is one sine wave
    N = len(s) - T
    X = np.array([s[i : i + T] for i in range(N)])[:, :, None]
    Y = s[T:, None]
    return X, Y


@wrong(
    "make_windows", "in place", "series changed", "view", "modified", "copy", "@series", "@input"
)
def s17_mw_rolling_buffer_is_a_view(series, T):
    L = series.shape[0]
    buf = series[:T]  # my working window, shifted along one step at a time
    windows = []
    for i in range(L - T):
        windows.append(buf.copy())
        buf[:-1] = buf[1:]
        buf[-1] = series[i + T]
    return np.stack(windows), series[T:].copy()


@wrong(
    "make_windows",
    "step",
    "stride",
    "overlapping",
    "disjoint",
    "range(0, L - T, T)",
    "every start",
    "@X",
)
def s17_mw_non_overlapping_windows(series, T):
    L = series.shape[0]
    starts = range(0, L - T, T)  # windows side by side, each value used once
    X = np.stack([series[i : i + T] for i in starts])
    Y = np.stack([series[i + T] for i in starts])
    return X, Y


@wrong("make_windows", "time axis", "(N, 1, D)", "extra axis", "Y shape", "series[i + T]", "@Y")
def s17_mw_target_slice_keeps_time_axis(series, T):
    N = series.shape[0] - T
    X = np.stack([series[i : i + T] for i in range(N)])
    Y = np.stack([series[i + T : i + T + 1] for i in range(N)])
    return X, Y


@wrong("make_windows", "list", "np.stack", "np.array", "array", "@X")
def s17_mw_returns_python_lists(series, T):
    X, Y = [], []
    for i in range(len(series) - T):
        X.append(series[i : i + T])
        Y.append(series[i + T])
    return X, Y


@right("make_windows")
def s17_right_windows_fancy_index(series, T):
    N = series.shape[0] - T
    idx = np.arange(N)[:, None] + np.arange(T)[None, :]
    return series[idx], series[T:].copy()


@right("make_windows")
def s17_right_windows_preallocated_loop(series, T):
    L, D = series.shape
    N = L - T
    X = np.empty((N, T, D), dtype=series.dtype)
    Y = np.empty((N, D), dtype=series.dtype)
    for i in range(N):
        X[i] = series[i : i + T]
        Y[i] = series[i + T]
    return X, Y


@right("make_windows")
def s17_right_windows_sliding_view_drop_last(series, T):
    V = np.lib.stride_tricks.sliding_window_view(series, T, axis=0)[:-1]
    return np.moveaxis(V, -1, 1).copy(), series[T:].copy()


# --- s17 02 forward_step ---


@wrong("forward_step", "W.T", "transpose", "W^T", "h_prev @ W", "wrong matrix", "@h_t", "@output")
def s17_fs_recurrent_weights_not_transposed(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W + b)


@wrong("forward_step", "tanh", "activation", "pre-activation", "nonlinear", "@h_t", "@output")
def s17_fs_returns_preactivation(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return a


@wrong("forward_step", "sigmoid", "tanh", "activation", "@h_t", "@output")
def s17_fs_sigmoid_instead_of_tanh(x_t, h_prev, U, W, b):
    return sigmoid(x_t @ U.T + h_prev @ W.T + b)


@wrong("forward_step", "bias", "b", "missing b", "@h_t", "@output")
def s17_fs_bias_forgotten(x_t, h_prev, U, W, b):
    return np.tanh(np.dot(x_t, U.T) + np.dot(h_prev, W.T))


@wrong("forward_step", "(H, N)", "transpose", "shape", "rows", "records as rows", "@h_t", "@output")
def s17_fs_column_vectors_not_transposed_back(x_t, h_prev, U, W, b):
    # same as the maths: U x + W h + b with x and h as columns
    return np.tanh(U @ x_t.T + W @ h_prev.T + b[:, None])


@wrong("forward_step", "in place", "h_prev", "overwrit", "changed", "[:]", "@h_prev", "@input")
def s17_fs_writes_result_into_h_prev(x_t, h_prev, U, W, b):
    h_prev[:] = np.tanh(x_t @ U.T + h_prev @ W.T + b)  # reuse the buffer, no new array
    return h_prev


@wrong("forward_step", "tanh", "formula", "exp", "a/2", "2a", "@h_t", "@output")
def s17_fs_own_tanh_formula_is_half_angle(x_t, h_prev, U, W, b):
    a = x_t @ U.T + h_prev @ W.T + b
    return (1 - np.exp(-a)) / (1 + np.exp(-a))  # tanh written with exponentials


@wrong("forward_step", "bias", "outside", "after the tanh", "inside", "tanh(", "@h_t", "@output")
def s17_fs_bias_added_after_tanh(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T) + b


@wrong("forward_step", "last record", "every record", "loop", "(1, H)", "N = 1", "@h_t", "@output")
def s17_fs_loop_keeps_only_last_record(x_t, h_prev, U, W, b):
    for n in range(x_t.shape[0]):
        h = np.tanh(U @ x_t[n] + W @ h_prev[n] + b)
    return h[None, :]


@wrong("forward_step", "U.T", "transpose", "shape", "x_t @ U", "U^T", "@h_t", "@output")
def s17_fs_input_weights_not_transposed(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U + h_prev @ W.T + b)


@right("forward_step")
def s17_right_step_einsum(x_t, h_prev, U, W, b):
    return np.tanh(np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", h_prev, W) + b)


@right("forward_step")
def s17_right_step_columns_then_transpose(x_t, h_prev, U, W, b):
    return np.tanh(U @ x_t.T + W @ h_prev.T + b[:, None]).T


@right("forward_step")
def s17_right_step_loop_over_records(x_t, h_prev, U, W, b):
    out = np.empty((x_t.shape[0], W.shape[0]))
    for n in range(x_t.shape[0]):
        out[n] = np.tanh(U @ x_t[n] + W @ h_prev[n] + b)
    return out


# --- s17 02 rnn_forward ---


@wrong(
    "rnn_forward", "h_0", "states[0]", "T + 1", "missing", "initial state", "@states", "@states[0]"
)
def s17_rf_states_without_h0(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = []
    for t in range(T):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.array(states)


@wrong("rnn_forward", "record-first", "(N, T + 1, H)", "axis=1", "time-major", "axis", "@states")
def s17_rf_states_stacked_record_first(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    states = np.stack(states, axis=1)  # one row of states per record, like X
    return h @ V.T + c, states


@wrong("rnn_forward", "wrong state", "states[T - 1]", "last state", "h_T", "h_(T-1)", "@Y_hat")
def s17_rf_prediction_from_second_to_last_state(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    for t in range(1, T + 1):
        states[t] = np.tanh(X[:, t - 1] @ U.T + states[t - 1] @ W.T + b)
    return states[T - 1] @ V.T + c, states  # T steps, so the last is T - 1


@wrong("rnn_forward", "c", "output bias", "without c", "read-out", "@Y_hat")
def s17_rf_readout_without_c(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T, np.stack(states)


@wrong("rnn_forward", "(O, N)", "transpose", "V.T", "shape", "V @ h", "@Y_hat")
def s17_rf_readout_as_columns(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    return V @ h.T + c[:, None], np.stack(states)  # y = V h + c, as in the notes


@wrong(
    "rnn_forward",
    "state not reset",
    "h_0",
    "previous call",
    "zero",
    "mutable default",
    "reset",
    "@states[0]",
    "@states[1]",
)
def s17_rf_state_carried_between_calls(X, U, W, V, b, c, _memory={}):  # noqa: B006
    # a recurrent network remembers: the next batch continues from the last state
    N, T, _ = X.shape
    H = W.shape[0]
    h = _memory.get((N, H), np.zeros((N, H)))
    states = [h]
    for t in range(T):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    _memory[(N, H)] = h
    return h @ V.T + c, np.stack(states)


@wrong(
    "rnn_forward",
    "past the last step",
    "T + 1",
    "one step too many",
    "X[:, -1]",
    "T + 2",
    "extra step",
    "@states[1]",
    "@states",
)
def s17_rf_loop_runs_one_step_too_many(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T + 1):  # steps 0 .. T, so T + 1 states after h_0
        h = np.tanh(X[:, t - 1] @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong(
    "rnn_forward",
    "reshape",
    "transpose",
    "swapaxes",
    "time-major",
    "mixes records",
    "X[:, t]",
    "@states[1]",
    "@step 1",
)
def s17_rf_time_major_by_reshape(X, U, W, V, b, c):
    N, T, D = X.shape
    Xt = X.reshape(T, N, D)  # time first, so Xt[t] is step t
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for x_t in Xt:
        h = np.tanh(x_t @ U.T + h @ W.T + b)
        states.append(h)
    return h @ V.T + c, np.stack(states)


@wrong("rnn_forward", "states[0]", "h_0", "view", "overwrit", "in place", "[:]", "@states[0]")
def s17_rf_h_is_a_view_of_states0(X, U, W, V, b, c):
    N, T, _ = X.shape
    states = np.zeros((T + 1, N, W.shape[0]))
    h = states[0]
    for t in range(T):
        h[:] = np.tanh(X[:, t] @ U.T + h @ W.T + b)  # update h without allocating
        states[t + 1] = h
    return h @ V.T + c, states


@wrong("rnn_forward", "tanh", "read-out", "linear", "output", "activation", "@Y_hat")
def s17_rf_tanh_on_the_readout(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        states.append(h)
    return np.tanh(h @ V.T + c), np.stack(states)


@wrong(
    "rnn_forward",
    "D = 1",
    "channel",
    "outer",
    "only the first channel",
    "X[:, t, 0]",
    "@states[1]",
    "@step 1",
)
def s17_rf_input_term_only_for_one_channel(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = np.tanh(
            np.outer(X[:, t, 0], U[:, 0]) + h @ W.T + b
        )  # each x_t is one number times U's column
        states.append(h)
    return h @ V.T + c, np.stack(states)


@right("rnn_forward")
def s17_right_forward_preallocated_time_major(X, U, W, V, b, c):
    N, T, D = X.shape
    H = W.shape[0]
    states = np.zeros((T + 1, N, H))
    inputs = X.transpose(1, 0, 2) @ U.T + b  # (T, N, H)
    for t in range(T):
        states[t + 1] = np.tanh(inputs[t] + states[t] @ W.T)
    return states[T] @ V.T + c, states


@right("rnn_forward")
def s17_right_forward_einsum_steps(X, U, W, V, b, c):
    N, T, _ = X.shape
    hs = [np.zeros((N, W.shape[0]))]
    for x_t in np.swapaxes(X, 0, 1):
        hs.append(np.tanh(np.einsum("nd,hd->nh", x_t, U) + np.einsum("nk,hk->nh", hs[-1], W) + b))
    states = np.array(hs)
    return np.einsum("nh,oh->no", states[-1], V) + c, states


# --- s17 03 mse_loss ---


@wrong(
    "mse_loss",
    "mean over all elements",
    "np.mean",
    "N * O",
    "size",
    "elements",
    "records",
    "@L",
    "@loss",
)
def s17_ml_mean_over_every_element(Y_hat, Y):
    diff = Y_hat - Y
    return 0.5 * np.mean(diff**2), diff / diff.size


@wrong("mse_loss", "1/2", "half", "factor 2", "2N", "@L", "@loss")
def s17_ml_loss_without_the_half(Y_hat, Y):
    N = Y.shape[0]
    diff = Y_hat - Y
    return float(np.sum(diff**2) / N), diff / N


@wrong("mse_loss", "factor 2", "stray", "2 *", "gradient", "half", "@dY_hat")
def s17_ml_gradient_keeps_the_two(Y_hat, Y):
    N = Y.shape[0]
    diff = Y_hat - Y
    return float((diff**2).sum() / (2 * N)), 2 * diff / N  # d/dx x^2 = 2x


@wrong(
    "mse_loss", "sign", "Y - Y_hat", "target minus", "minus", "prediction minus target", "@dY_hat"
)
def s17_ml_gradient_sign_flipped(Y_hat, Y):
    N = len(Y)
    err = Y - Y_hat
    return float(np.sum(err * err)) / (2 * N), err / N


@wrong("mse_loss", "1/N", "divide", "not divided", "N", "gradient", "@dY_hat")
def s17_ml_gradient_not_divided_by_n(Y_hat, Y):
    N = Y.shape[0]
    diff = Y_hat - Y
    return float(np.sum(diff**2)) / (2 * N), diff


@wrong("mse_loss", "Y.shape[1]", "records", "outputs", "O", "number of records", "@L", "@loss")
def s17_ml_n_counted_from_columns(Y_hat, Y):
    N = Y.shape[-1]  # number of samples
    diff = Y_hat - Y
    return float(np.sum(diff**2)) / (2 * N), diff / N


@wrong("mse_loss", "one number", "keepdims", "(1, 1)", "scalar", "float", "@L", "@loss")
def s17_ml_loss_kept_as_array(Y_hat, Y):
    N = Y.shape[0]
    diff = Y_hat - Y
    return (diff**2).sum(keepdims=True) / (2 * N), diff / N


@wrong("mse_loss", "in place", "-=", "Y_hat changed", "modified", "copy", "@Y_hat", "@input")
def s17_ml_difference_computed_in_place(Y_hat, Y):
    N = Y.shape[0]
    Y_hat -= Y  # saves a temporary array
    return float(np.sum(Y_hat**2)) / (2 * N), Y_hat / N


@wrong("mse_loss", "sum", "builtin", "np.sum", "one number", "one axis", "(O,)", "@L", "@loss")
def s17_ml_python_sum_over_rows(Y_hat, Y):
    N = len(Y)
    diff = Y_hat - Y
    return sum(diff**2) / (2 * N), diff / N


@right("mse_loss")
def s17_right_mse_loop(Y_hat, Y):
    N, O = Y.shape
    total = 0.0
    grad = np.zeros((N, O))
    for n in range(N):
        for o in range(O):
            d = Y_hat[n, o] - Y[n, o]
            total += d * d
            grad[n, o] = d / N
    return total / (2 * N), grad


@right("mse_loss")
def s17_right_mse_einsum(Y_hat, Y):
    diff = np.subtract(Y_hat, Y)
    N = diff.shape[0]
    return 0.5 * float(np.einsum("no,no->", diff, diff)) / N, diff / N


@right("mse_loss")
def s17_right_mse_mean_over_records(Y_hat, Y):
    diff = Y_hat - Y
    return float(0.5 * np.mean(np.sum(diff**2, axis=1))), diff / len(diff)


# --- s17 03 backward_step ---


@wrong("backward_step", "W.T", "transpose", "wrong matrix", "delta_t @ W", "W^T", "@dh_prev")
def s17_bs_dh_prev_uses_w_transposed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W.T, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "derivative", "1 - h_t**2", "tanh'", "missing", "factor", "@delta_t")
def s17_bs_derivative_factor_missing(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t  # the error already is dL/da
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong(
    "backward_step", "second tanh", "np.tanh(h_t)", "tanh", "wrong form", "derivative", "@delta_t"
)
def s17_bs_tanh_applied_to_the_state_again(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - np.tanh(h_t) ** 2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong(
    "backward_step",
    "sigmoid",
    "h_t * (1 - h_t)",
    "wrong form",
    "derivative",
    "h(1 - h)",
    "@delta_t",
)
def s17_bs_sigmoid_derivative(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * h_t * (1 - h_t)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong("backward_step", "h_t", "h_prev", "h_(t-1)", "wrong state", "previous state", "@dW", "@dW_t")
def s17_bs_dW_from_current_state(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    dW = delta.T @ h_t  # the state of this step
    return delta, delta @ W, delta.T @ x_t, dW, delta.sum(axis=0)


@wrong("backward_step", "mean", "sum", "divided by N", "/ N", "average", "@dU", "@dU_t")
def s17_bs_shares_averaged_over_records(dh_t, h_t, h_prev, x_t, W):
    N = dh_t.shape[0]
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t / N, delta.T @ h_prev / N, delta.mean(axis=0)


@wrong("backward_step", "axis=1", "axis", "sum axis", "over the records", "(N,)", "@db", "@db_t")
def s17_bs_db_summed_over_units(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, np.sum(delta, axis=1)


@wrong("backward_step", "in place", "*=", "dh_t changed", "modified", "copy", "@dh_t", "@input")
def s17_bs_delta_computed_in_place(dh_t, h_t, h_prev, x_t, W):
    dh_t *= 1 - h_t**2  # no need for a new array
    delta = dh_t
    return delta, delta @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong(
    "backward_step",
    "transpose",
    "h_prev.T @ delta",
    "dW.T",
    "order",
    "outer product",
    "@dW",
    "@dW_t",
)
def s17_bs_dW_outer_product_reversed(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, delta @ W, delta.T @ x_t, h_prev.T @ delta, delta.sum(axis=0)


@wrong(
    "backward_step",
    "delta_t",
    "dh_t @ W",
    "derivative",
    "before the tanh",
    "through tanh",
    "@dh_prev",
)
def s17_bs_error_passed_back_without_tanh(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    return delta, dh_t @ W, delta.T @ x_t, delta.T @ h_prev, delta.sum(axis=0)


@wrong(
    "backward_step",
    "+=",
    "last record",
    "sum over records",
    "loop",
    "=",
    "every record",
    "@dU",
    "@dU_t",
)
def s17_bs_record_loop_overwrites_shares(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    for n in range(delta.shape[0]):
        dU = np.outer(delta[n], x_t[n])
        dW = np.outer(delta[n], h_prev[n])
        db = delta[n].copy()
    return delta, delta @ W, dU, dW, db


@wrong("backward_step", "(D, H)", "transpose", "dU", "einsum", "x_t.T @ delta", "@dU", "@dU_t")
def s17_bs_dU_einsum_output_order_swapped(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1 - h_t**2)
    dU = np.einsum("nh,nd->dh", delta, x_t)
    dW = np.einsum("nh,nk->hk", delta, h_prev)
    return delta, np.einsum("nh,hk->nk", delta, W), dU, dW, np.einsum("nh->h", delta)


@right("backward_step")
def s17_right_backward_step_einsum(dh_t, h_t, h_prev, x_t, W):
    delta = dh_t * (1.0 - h_t * h_t)
    return (
        delta,
        np.einsum("nh,hk->nk", delta, W),
        np.einsum("nh,nd->hd", delta, x_t),
        np.einsum("nh,nk->hk", delta, h_prev),
        np.einsum("nh->h", delta),
    )


@right("backward_step")
def s17_right_backward_step_record_loop(dh_t, h_t, h_prev, x_t, W):
    N, H = dh_t.shape
    delta = np.empty((N, H))
    dU = np.zeros((H, x_t.shape[1]))
    dW = np.zeros((H, H))
    db = np.zeros(H)
    for n in range(N):
        delta[n] = dh_t[n] * (1 - h_t[n] ** 2)
        dU += np.outer(delta[n], x_t[n])
        dW += np.outer(delta[n], h_prev[n])
        db += delta[n]
    return delta, (W.T @ delta.T).T, dU, dW, db


# --- s17 03 bptt ---


@wrong(
    "bptt", "off-by-one", "k + 1", "one step too many", "truncation window", "T - k", "@dU", "@dW"
)
def s17_bp_truncation_runs_k_plus_one_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k - 1, -1):  # down to T - k inclusive
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong(
    "bptt",
    "off-by-one",
    "k - 1",
    "one step too few",
    "truncation window",
    "T - k + 1",
    "@dU",
    "@dW",
)
def s17_bp_truncation_runs_k_minus_one_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k + 1, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "k", "ignored", "truncation", "full BPTT", "all T steps", "@dU", "@dW")
def s17_bp_truncation_depth_ignored(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in reversed(range(1, T + 1)):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "forward in time", "order", "reversed", "backwards", "T, T-1", "@dU", "@dW")
def s17_bp_loop_runs_forward_in_time(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T - k + 1, T + 1):  # the same k steps, in time order
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "+=", "=", "accumulate", "add up", "last step only", "overwrit", "@dU", "@dW")
def s17_bp_shares_assigned_not_added(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU = delta.T @ X[:, t - 1]
        dW = delta.T @ states[t - 1]
        db = delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "dc", "summed", "sum over the records", "(N, O)", "records", "@dc")
def s17_bp_dc_not_summed_over_records(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat  # c is added straight to the output


@wrong("bptt", "dh_prev", "passed on", "recurrence", "g", "not updated", "dY_hat @ V", "@dU", "@dW")
def s17_bp_error_not_handed_back(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh_prev = delta @ W  # noqa: F841
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "transpose", "dV", "(H, O)", "states[T].T @ dY_hat", "dY_hat.T", "@dV")
def s17_bp_dV_transposed(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, states[T].T @ dY_hat, db, dY_hat.sum(axis=0)


@wrong("bptt", "states[t - 1]", "h_0", "index", "off by one", "states[t]", "shifted", "@dU", "@dW")
def s17_bp_states_indexed_as_if_no_h0(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        h_t, h_prev = states[t - 1], states[t - 2]  # states[0] is h_1
        delta = g * (1 - h_t**2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ h_prev
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong("bptt", "mutable default", "previous call", "reset", "zero", "accumulate", "@dU", "@dW")
def s17_bp_accumulators_in_default_argument(dY_hat, X, states, W, V, k, _grads={}):  # noqa: B006
    T = X.shape[1]
    H, D = W.shape[0], X.shape[2]
    dU = _grads.setdefault(("U", H, D), np.zeros((H, D)))  # made once, reused
    dW = _grads.setdefault(("W", H), np.zeros((H, H)))
    db = _grads.setdefault(("b", H), np.zeros(H))
    g = dY_hat @ V
    for t in range(T, T - k, -1):
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong(
    "bptt",
    "error enters",
    "h_T",
    "every step",
    "many-to-one",
    "dY_hat @ V",
    "only at",
    "@dU",
    "@dW",
)
def s17_bp_output_error_added_at_every_step(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    dh_next = np.zeros((dY_hat.shape[0], H))
    for t in range(T, T - k, -1):
        g = dY_hat @ V + dh_next  # as in min-char-rnn
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        dh_next = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@wrong(
    "bptt",
    "first k steps",
    "T - k + 1",
    "truncation window",
    "wrong end",
    "h_k",
    "from the start",
    "@dU",
    "@dW",
)
def s17_bp_truncation_keeps_the_first_steps(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    H = W.shape[0]
    dU, dW, db = np.zeros((H, X.shape[2])), np.zeros((H, H)), np.zeros(H)
    g = dY_hat @ V
    for t in range(k, 0, -1):  # steps k, k-1, ..., 1
        delta = g * (1 - states[t] ** 2)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ states[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


@right("bptt")
def s17_right_bptt_einsum_reversed_window(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    g = np.einsum("no,oh->nh", dY_hat, V)
    deltas = []
    for t in reversed(range(T - k + 1, T + 1)):
        delta = g * (1 - states[t] ** 2)
        deltas.append((t, delta))
        g = np.einsum("nh,hk->nk", delta, W)
    dU = sum(np.einsum("nh,nd->hd", d, X[:, t - 1]) for t, d in deltas)
    dW = sum(np.einsum("nh,nk->hk", d, states[t - 1]) for t, d in deltas)
    db = sum(d.sum(axis=0) for _, d in deltas)
    return dU, dW, np.einsum("no,nh->oh", dY_hat, states[T]), db, np.einsum("no->o", dY_hat)


@right("bptt")
def s17_right_bptt_stacked_window(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    N, H = states.shape[1], states.shape[2]
    deltas = np.zeros((k, N, H))
    g = dY_hat @ V
    for j in range(k):
        t = T - j
        deltas[j] = g * (1 - states[t] ** 2)
        g = deltas[j] @ W
    xs = X[:, T - k :][:, ::-1].transpose(1, 0, 2)  # inputs and previous states of steps T .. T-k+1
    hs = states[T - k : T][::-1]
    dU = np.einsum("jnh,jnd->hd", deltas, xs)
    dW = np.einsum("jnh,jnk->hk", deltas, hs)
    return dU, dW, dY_hat.T @ states[-1], deltas.sum(axis=(0, 1)), dY_hat.sum(axis=0)


# --- s17 03 numerical_gradient ---


@wrong(
    "numerical_gradient",
    "forward difference",
    "central",
    "f(x - eps",
    "one-sided",
    "2 * eps",
    "@output",
    "@entry",
)
def s17_ng_forward_difference(f, x, eps=1e-6):
    f0 = f()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        grad[i] = (f() - f0) / eps
        x[i] = saved
    return grad


@wrong("numerical_gradient", "2 * eps", "2eps", "factor 2", "divide", "twice", "@output", "@entry")
def s17_ng_divides_by_eps_only(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / eps
    return grad


@wrong(
    "numerical_gradient", "copy", "zero", "in place", "perturb", "f reads x", "@output", "@entry"
)
def s17_ng_perturbs_a_copy(f, x, eps=1e-6):
    xp = x.copy()  # leave the caller's array alone
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp[i] += eps
        up = f()
        xp[i] -= 2 * eps
        down = f()
        xp[i] = x[i]
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong(
    "numerical_gradient",
    "flatten",
    "one axis",
    "shape",
    "ravel",
    "x's shape",
    "reshape",
    "@output",
    "@shape",
)
def s17_ng_result_flattened(f, x, eps=1e-6):
    grad = np.zeros(x.size)
    for j, i in enumerate(np.ndindex(x.shape)):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[j] = (up - down) / (2 * eps)
    return grad


@wrong(
    "numerical_gradient",
    "restored exactly",
    "x left changed",
    "+= eps",
    "rounding",
    "saved",
    "restore",
    "@x",
    "@input",
)
def s17_ng_restores_by_arithmetic(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f()
        x[i] -= 2 * eps
        down = f()
        x[i] += eps  # back where it started
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong(
    "numerical_gradient",
    "restore",
    "x left changed",
    "saved",
    "put back",
    "not restored",
    "@x",
    "@input",
)
def s17_ng_never_puts_element_back(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong(
    "numerical_gradient",
    "2-D",
    "np.ndindex",
    "row",
    "len(x)",
    "every element",
    "1-D",
    "@entry",
    "@output",
)
def s17_ng_loop_over_first_axis_only(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "float32", "precision", "dtype", "single", "@output", "@entry")
def s17_ng_gradient_stored_in_float32(f, x, eps=1e-6):
    grad = np.zeros(x.shape, dtype=np.float32)  # a gradient needs no more digits
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


@wrong("numerical_gradient", "list", "array", "shape", "np.array", "append", "@output", "@shape")
def s17_ng_returns_a_list(f, x, eps=1e-6):
    grads = []
    flat = x.reshape(-1)
    for j in range(flat.size):
        saved = flat[j]
        flat[j] = saved + eps
        up = f()
        flat[j] = saved - eps
        down = f()
        flat[j] = saved
        grads.append((up - down) / (2 * eps))
    return grads


@wrong("numerical_gradient", "no arguments", "f()", "f(x)", "closure", "TypeError", "@output")
def s17_ng_passes_x_to_f(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        grad[i] = (f(xp) - f(xm)) / (2 * eps)
    return grad


@wrong(
    "numerical_gradient",
    "precedence",
    "/ 2 * eps",
    "parenthes",
    "2 * eps",
    "brackets",
    "@output",
    "@entry",
)
def s17_ng_operator_precedence_in_denominator(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / 2 * eps
    return grad


@right("numerical_gradient")
def s17_right_numgrad_flat_view(f, x, eps=1e-6):
    flat = x.reshape(-1)
    out = np.empty(x.size)
    for j in range(flat.size):
        saved = flat[j]
        flat[j] = saved + eps
        f_plus = f()
        flat[j] = saved - eps
        f_minus = f()
        flat[j] = saved
        out[j] = (f_plus - f_minus) / (2 * eps)
    return out.reshape(x.shape)


@right("numerical_gradient")
def s17_right_numgrad_nditer(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        saved = float(x[i])
        x[i] = saved + eps
        f_plus = f()
        x[i] = saved - eps
        f_minus = f()
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


@right("numerical_gradient")
def s17_right_numgrad_product_of_ranges(f, x, eps=1e-6):
    import itertools

    grad = np.zeros_like(x)
    for i in itertools.product(*(range(n) for n in x.shape)):
        saved = x[i]
        x[i] = saved + eps
        f_plus = f()
        x[i] = saved - eps
        f_minus = f()
        x[i] = saved
        grad[i] = 0.5 * (f_plus - f_minus) / eps
    return grad


# --- s17 04 clip_gradients ---


@wrong(
    "clip_gradients",
    "each array",
    "own norm",
    "per array",
    "global norm",
    "separately",
    "@norm",
    "@factor",
)
def s17_cg_each_array_by_its_own_norm(grads, threshold):
    # believed every gradient array should be clipped to the threshold on its own
    out = []
    for g in grads:
        norm = np.linalg.norm(g)
        out.append(g * (threshold / norm) if norm > threshold else g.copy())
    return out


@wrong(
    "clip_gradients", "below the threshold", "unchanged", "always", "scaled up", "exceed", "@factor"
)
def s17_cg_scales_even_when_below_threshold(grads, threshold):
    # believed the factor c / ||g|| is simply applied every time (it then stretches small gradients)
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    return [g * (threshold / norm) for g in grads]


@wrong("clip_gradients", "by value", "element", "np.clip", "direction", "global norm", "@output")
def s17_cg_clips_by_value(grads, threshold):
    # believed clipping means cutting every element to [-c, c]
    return [np.clip(g, -threshold, threshold) for g in grads]


@wrong("clip_gradients", "in place", "modif", "input", "*=", "new array", "@inputs")
def s17_cg_scales_the_callers_arrays_in_place(grads, threshold):
    # believed *= is just a shorter way to write g = g * factor
    norm = np.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    if norm > threshold:
        for g in grads:
            g *= threshold / norm
    return list(grads)


@wrong("clip_gradients", "nan", "zero", "all-zero", "division", "0 / 0", "@factor", "@output")
def s17_cg_nan_for_all_zero_gradients(grads, threshold):
    # believed normalising to unit length and then rescaling to min(norm, c) is the same rule
    norm = np.sqrt(sum((g**2).sum() for g in grads))
    with np.errstate(invalid="ignore", divide="ignore"):
        return [g / norm * min(norm, threshold) for g in grads]


@wrong("clip_gradients", "one long", "list", "concatenat", "shape", "flat", "@output", "@type")
def s17_cg_returns_one_long_array(grads, threshold):
    # believed returning the clipped global vector itself is what "all arrays together" means
    flat = np.concatenate([g.ravel() for g in grads])
    norm = np.linalg.norm(flat)
    return flat * (threshold / norm) if norm > threshold else flat.copy()


@wrong("clip_gradients", "square root", "sqrt", "squared", "sum of squares", "norm", "@norm")
def s17_cg_squared_norm_without_sqrt(grads, threshold):
    # believed the sum of squares is the norm
    norm = sum(np.sum(g * g) for g in grads)
    if norm > threshold:
        return [g * (threshold / norm) for g in grads]
    return [g.copy() for g in grads]


@wrong(
    "clip_gradients",
    "last array",
    "one array",
    "every array",
    "global norm",
    "overwr",
    "+=",
    "@norm",
)
def s17_cg_norm_of_the_last_array_only(grads, threshold):
    # meant to accumulate the norm over the loop, but assigned instead of adding
    for g in grads:
        norm = np.sqrt(np.sum(g**2))
    factor = threshold / norm if norm > threshold else 1.0
    return [g * factor for g in grads]


@wrong(
    "clip_gradients",
    "sum of",
    "norms",
    "global norm",
    "square root of the sum",
    "triangle",
    "@norm",
)
def s17_cg_adds_up_the_arrays_norms(grads, threshold):
    # believed the global norm is the sum of the arrays' norms
    norm = sum(np.linalg.norm(g.ravel()) for g in grads)
    return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]


@wrong("clip_gradients", "inverted", "norm / threshold", "upside", "larger", "factor", "@factor")
def s17_cg_factor_upside_down(grads, threshold):
    # believed the factor is norm / c (it then makes a large gradient even larger)
    norm = np.sqrt(sum(np.sum(np.square(g)) for g in grads))
    scale = norm / threshold if norm > threshold else 1.0
    return [np.multiply(g, scale) for g in grads]


@wrong("clip_gradients", "largest", "max", "l2", "infinity", "element", "global norm", "@norm")
def s17_cg_largest_element_as_norm(grads, threshold):
    # believed the size of the gradient is its largest |element|
    norm = max(float(np.max(np.abs(g))) for g in grads)
    if norm <= threshold:
        return [g.copy() for g in grads]
    return [g * threshold / norm for g in grads]


@wrong("clip_gradients", "mean", "rms", "number of elements", "average", "l2 norm", "@norm")
def s17_cg_root_mean_square_instead_of_norm(grads, threshold):
    # believed the norm averages the squares over the elements
    flat = np.concatenate([g.reshape(-1) for g in grads])
    norm = np.sqrt(np.mean(flat**2))
    return [g * (threshold / norm) if norm > threshold else g.copy() for g in grads]


@right("clip_gradients")
def s17_right_cg_concatenate_and_min(grads, threshold):
    flat = np.concatenate([np.ravel(g) for g in grads])
    norm = np.linalg.norm(flat)
    factor = min(1.0, threshold / norm) if norm > 0 else 1.0
    return [g * factor for g in grads]


@right("clip_gradients")
def s17_right_cg_math_sqrt_loop(grads, threshold):
    import math

    total = 0.0
    for g in grads:
        total += float(np.einsum("i,i->", np.ravel(g), np.ravel(g)))
    norm = math.sqrt(total)
    clipped = []
    for g in grads:
        clipped.append(
            np.array(g, copy=True) if norm <= threshold else np.multiply(g, threshold / norm)
        )
    return clipped


@right("clip_gradients")
def s17_right_cg_hypot_style(grads, threshold):
    norms = np.array([np.linalg.norm(np.ravel(g)) for g in grads])
    norm = np.sqrt(np.sum(norms**2))
    if not norm > threshold:
        return [np.copy(g) for g in grads]
    return [g * (threshold / norm) for g in grads]


# --- s17 05 train_rnn ---


@wrong(
    "train_rnn",
    "left out",
    "no clipping",
    "not clipped",
    "without clipping",
    "never clip",
    "missing",
    "@epoch 1",
    "@clip",
)
def s17_tr_clipping_left_out(params, X, Y, learning_rate, epochs, threshold, k):
    # believed clipping only matters when training diverges, so it can be skipped here
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, (dU, dW, dV, db, dc) = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong(
    "train_rnn",
    "depth",
    "truncat",
    "full bptt",
    "not passed",
    "every step",
    "@epoch 1",
    "@gradient",
)
def s17_tr_depth_k_not_passed_on(params, X, Y, learning_rate, epochs, threshold, k):
    # believed backpropagating through every step is always at least as good as k steps
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, X.shape[1])
        dU, dW, dV, db, dc = ref.clip_by_norm(grads, threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong(
    "train_rnn",
    "too few",
    "one fewer",
    "off by one",
    "number of updates",
    "range(1",
    "@epochs",
    "@last epoch",
)
def s17_tr_one_epoch_too_few(params, X, Y, learning_rate, epochs, threshold, k):
    # counted epochs from 1 as in the printed history, range(1, epochs)
    from rnnlib import reference as ref

    p = [np.array(a, dtype=float) for a in params]
    for epoch in range(1, epochs):  # noqa: B007
        _, grads = ref.loss_and_gradients(*p, X, Y, k)
        grads = ref.clip_by_norm(grads, threshold)
        p = [a - learning_rate * g for a, g in zip(p, grads, strict=False)]
    return p


@wrong(
    "train_rnn",
    "too many",
    "one more",
    "extra update",
    "off by one",
    "<=",
    "number of updates",
    "@epochs",
    "@last epoch",
)
def s17_tr_one_epoch_too_many(params, X, Y, learning_rate, epochs, threshold, k):
    # wrote the loop condition with <= as in "up to and including epochs"
    from rnnlib import reference as ref

    p = list(params)
    epoch = 0
    while epoch <= epochs:
        _, grads = ref.loss_and_gradients(*p, X, Y, k)
        grads = ref.clip_by_norm(grads, threshold)
        p = [a - learning_rate * g for a, g in zip(p, grads, strict=False)]
        epoch += 1
    return p


@wrong(
    "train_rnn",
    "uphill",
    "sign",
    "minus",
    "plus",
    "ascent",
    "wrong direction",
    "@epoch 1",
    "@update",
)
def s17_tr_step_uphill(params, X, Y, learning_rate, epochs, threshold, k):
    # believed the parameters move along the gradient
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
        dU, dW, dV, db, dc = ref.clip_by_norm(grads, threshold)
        U, W, V = U + learning_rate * dU, W + learning_rate * dW, V + learning_rate * dV
        b, c = b + learning_rate * db, c + learning_rate * dc
    return [U, W, V, b, c]


@wrong(
    "train_rnn", "in place", "-=", "caller", "modif", "unchanged", "passed in", "@params", "@inputs"
)
def s17_tr_updates_the_callers_arrays_in_place(params, X, Y, learning_rate, epochs, threshold, k):
    # believed p -= lr * g is the same as p = p - lr * g
    from rnnlib import reference as ref

    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(*params, X, Y, k)
        for p, g in zip(params, ref.clip_by_norm(grads, threshold), strict=False):
            p -= learning_rate * g
    return params


@wrong(
    "train_rnn",
    "stale",
    "once",
    "before the loop",
    "same gradient",
    "current",
    "recompute",
    "@epoch 2",
)
def s17_tr_gradients_computed_once_before_the_loop(
    params, X, Y, learning_rate, epochs, threshold, k
):
    # believed the gradient only has to be computed once, then applied every epoch
    from rnnlib import reference as ref

    U, W, V, b, c = params
    _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
    dU, dW, dV, db, dc = ref.clip_by_norm(grads, threshold)
    for _ in range(epochs):
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong(
    "train_rnn",
    "first update",
    "only one",
    "one update",
    "original",
    "same start",
    "overwr",
    "@epoch 2",
)
def s17_tr_every_epoch_restarts_from_params(params, X, Y, learning_rate, epochs, threshold, k):
    # built the new list from `params` each time, so every epoch starts again from the start
    from rnnlib import reference as ref

    trained = list(params)
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(*params, X, Y, k)
        grads = ref.clip_by_norm(grads, threshold)
        trained = [p - learning_rate * g for p, g in zip(params, grads, strict=False)]
    return trained


@wrong(
    "train_rnn",
    "each array",
    "own norm",
    "all five",
    "together",
    "global norm",
    "separately",
    "@epoch 1",
    "@clip",
)
def s17_tr_each_gradient_clipped_alone(params, X, Y, learning_rate, epochs, threshold, k):
    # clipped every gradient on its own, one call per array
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
        dU, dW, dV, db, dc = [ref.clip_by_norm([g], threshold)[0] for g in grads]
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@wrong(
    "train_rnn",
    "before clipping",
    "clipped the step",
    "times the learning rate",
    "lr * g",
    "scaled gradient",
    "@epoch 1",
    "@clip",
)
def s17_tr_clips_the_step_instead_of_the_gradient(
    params, X, Y, learning_rate, epochs, threshold, k
):
    # multiplied by the learning rate first and clipped the step
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
        steps = ref.clip_by_norm([learning_rate * g for g in grads], threshold)
        U, W, V, b, c = (p - s for p, s in zip([U, W, V, b, c], steps, strict=False))
    return [U, W, V, b, c]


@wrong(
    "train_rnn",
    "swapp",
    "exchang",
    "mixed up",
    "interchang",
    "argument",
    "learning rate as",
    "@epoch 1",
    "@clip",
)
def s17_tr_threshold_and_learning_rate_swapped(params, X, Y, learning_rate, epochs, threshold, k):
    # passed the arguments to the pieces in the wrong order
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
        dU, dW, dV, db, dc = ref.clip_by_norm(grads, learning_rate)
        U, W, V = U - threshold * dU, W - threshold * dW, V - threshold * dV
        b, c = b - threshold * db, c - threshold * dc
    return [U, W, V, b, c]


@wrong("train_rnn", "accumulat", "reset", "previous epoch", "summed", "zero", "@epoch 2")
def s17_tr_gradients_accumulated_across_epochs(params, X, Y, learning_rate, epochs, threshold, k):
    # set the running gradients to zero once, outside the epoch loop
    import rnnlib

    p = rnnlib.Params(*[np.array(a, dtype=float) for a in params])
    total = [np.zeros_like(a) for a in params]
    for _ in range(epochs):
        Y_hat, cache = rnnlib.forward(p, X)
        _, dY_hat = rnnlib.mse_loss(Y_hat, Y)
        grads, _ = rnnlib.backward(dY_hat, p, cache, truncation=k)
        total = [t + g for t, (_, g) in zip(total, grads.items(), strict=False)]
        clipped, _, _ = rnnlib.clip_by_norm(rnnlib.Params(*total), threshold)
        p = rnnlib.Params(
            *[
                a - learning_rate * g
                for (_, a), (_, g) in zip(p.items(), clipped.items(), strict=True)
            ]
        )
    return [a for _, a in p.items()]


@wrong("train_rnn", "shuffl", "x and y", "align", "target", "permutation", "same order", "@epoch 1")
def s17_tr_shuffles_X_and_Y_separately(params, X, Y, learning_rate, epochs, threshold, k):
    # shuffled the records every epoch, but with a separate permutation for the targets
    import rnnlib

    rng = np.random.default_rng(0)
    p = rnnlib.Params(*params)
    for _ in range(epochs):
        Xs, Ys = X[rng.permutation(len(X))], Y[rng.permutation(len(Y))]
        Y_hat, cache = rnnlib.forward(p, Xs)
        _, dY_hat = rnnlib.mse_loss(Y_hat, Ys)
        grads, _ = rnnlib.backward(dY_hat, p, cache, truncation=k)
        grads, _, _ = rnnlib.clip_by_norm(grads, threshold)
        p = rnnlib.Params(
            *(
                a - learning_rate * g
                for (_, a), (_, g) in zip(p.items(), grads.items(), strict=True)
            )
        )
    return [a for _, a in p.items()]


@wrong(
    "train_rnn",
    "never change",
    "loop variable",
    "rebind",
    "unchanged",
    "not updated",
    "do not change",
    "@epoch 1",
    "@return",
)
def s17_tr_rebinds_the_loop_variable(params, X, Y, learning_rate, epochs, threshold, k):
    # believed assigning to p inside the for loop updates the list
    from rnnlib import reference as ref

    trained = [a.copy() for a in params]
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(*trained, X, Y, k)
        for p, g in zip(trained, ref.clip_by_norm(grads, threshold), strict=False):
            p = p - learning_rate * g
    return trained


@wrong(
    "train_rnn",
    "1 / n",
    "divide",
    "mean",
    "n records",
    "loss gradient",
    "dy_hat",
    "@epoch 1",
    "@loss",
)
def s17_tr_loss_gradient_not_divided_by_N(params, X, Y, learning_rate, epochs, threshold, k):
    # wrote the forward pass, the loss and BPTT out by hand; dL/dy_hat as y_hat - y
    U, W, V, b, c = (np.array(a, dtype=float) for a in params)
    N, T, _ = X.shape
    for _ in range(epochs):
        h = [np.zeros((N, U.shape[0]))]
        for t in range(T):
            h.append(np.tanh(X[:, t] @ U.T + h[-1] @ W.T + b))
        dy = h[T] @ V.T + c - Y
        dV, dc = dy.T @ h[T], dy.sum(axis=0)
        dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
        g = dy @ V
        for t in range(T, max(T - k, 0), -1):
            delta = g * (1 - h[t] ** 2)
            dU, dW, db = dU + delta.T @ X[:, t - 1], dW + delta.T @ h[t - 1], db + delta.sum(axis=0)
            g = delta @ W
        grads = [dU, dW, dV, db, dc]
        norm = np.sqrt(sum(np.sum(x**2) for x in grads))
        scale = threshold / norm if norm > threshold else 1.0
        U, W, V, b, c = (
            p - learning_rate * scale * x for p, x in zip((U, W, V, b, c), grads, strict=True)
        )
    return [U, W, V, b, c]


@wrong(
    "train_rnn",
    "k + 1",
    "one step too deep",
    "too deep",
    "depth",
    "truncation",
    "off by one",
    "@epoch 1",
    "@gradient",
)
def s17_tr_truncation_one_step_too_deep(params, X, Y, learning_rate, epochs, threshold, k):
    # wrote BPTT by hand and let the loop run down to T - k inclusive
    U, W, V, b, c = (np.array(a, dtype=float) for a in params)
    N, T, _ = X.shape
    for _ in range(epochs):
        h = np.zeros((T + 1, N, U.shape[0]))
        for t in range(1, T + 1):
            h[t] = np.tanh(X[:, t - 1] @ U.T + h[t - 1] @ W.T + b)
        dy = (h[T] @ V.T + c - Y) / N
        dV, dc = dy.T @ h[T], dy.sum(axis=0)
        dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
        g = dy @ V
        for t in range(T, max(T - k - 1, 0), -1):
            delta = g * (1 - h[t] ** 2)
            dU += delta.T @ X[:, t - 1]
            dW += delta.T @ h[t - 1]
            db += delta.sum(axis=0)
            g = delta @ W
        grads = [dU, dW, dV, db, dc]
        norm = np.sqrt(sum(np.sum(x**2) for x in grads))
        if norm > threshold:
            grads = [x * (threshold / norm) for x in grads]
        U, W, V, b, c = (p - learning_rate * x for p, x in zip((U, W, V, b, c), grads, strict=True))
    return [U, W, V, b, c]


@right("train_rnn")
def s17_right_tr_reference_pieces(params, X, Y, learning_rate, epochs, threshold, k):
    from rnnlib import reference as ref

    U, W, V, b, c = params
    for _ in range(epochs):
        _, grads = ref.loss_and_gradients(U, W, V, b, c, X, Y, k)
        dU, dW, dV, db, dc = ref.clip_by_norm(grads, threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


@right("train_rnn")
def s17_right_tr_rnnlib_forward_backward(params, X, Y, learning_rate, epochs, threshold, k):
    import rnnlib

    p = rnnlib.Params(*[np.array(a, dtype=float, copy=True) for a in params])
    for _ in range(epochs):
        Y_hat, cache = rnnlib.forward(p, X)
        _, dY_hat = rnnlib.mse_loss(Y_hat, Y)
        grads, _ = rnnlib.backward(dY_hat, p, cache, truncation=k)
        grads, _, _ = rnnlib.clip_by_norm(grads, threshold)
        p = rnnlib.Params(
            *(
                a - learning_rate * g
                for (_, a), (_, g) in zip(p.items(), grads.items(), strict=True)
            )
        )
    return [a for _, a in p.items()]


@right("train_rnn")
def s17_right_tr_by_hand(params, X, Y, learning_rate, epochs, threshold, k):
    theta = [np.array(a, dtype=float) for a in params]
    N, T, _ = X.shape
    depth = min(k, T)
    for _ in range(epochs):
        U, W, V, b, c = theta
        h = np.zeros((T + 1, N, U.shape[0]))
        for t in range(T):
            h[t + 1] = np.tanh(np.einsum("nd,hd->nh", X[:, t], U) + h[t] @ W.T + b)
        dy = (h[T] @ V.T + c - Y) / N
        grads = [np.zeros_like(U), np.zeros_like(W), dy.T @ h[T], np.zeros_like(b), dy.sum(axis=0)]
        g = dy @ V
        for t in range(T, T - depth, -1):
            delta = g * (1 - h[t] ** 2)
            grads[0] = grads[0] + delta.T @ X[:, t - 1]
            grads[1] = grads[1] + delta.T @ h[t - 1]
            grads[3] = grads[3] + delta.sum(axis=0)
            g = delta @ W
        norm = np.sqrt(sum(float(np.sum(x * x)) for x in grads))
        factor = threshold / norm if norm > threshold else 1.0
        theta = [p - learning_rate * (factor * x) for p, x in zip(theta, grads, strict=False)]
    return theta


# --- s17 08 gru_step ---


@wrong(
    "gru_step", "order", "r, z, n", "swapp", "first block", "first third", "gate order", "@r", "@z"
)
def s17_gs_gate_order_z_first(x_t, h_prev, U, W, b, b_n):
    # believed the first block of rows is the update gate
    H = h_prev.shape[1]
    z = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    r = sigmoid(x_t @ U[H : 2 * H].T + h_prev @ W[H : 2 * H].T + b[H : 2 * H])
    n = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + r * (h_prev @ W[2 * H :].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong(
    "gru_step",
    "before the product",
    "after the product",
    "r * h_prev",
    "cho",
    "original",
    "before",
    "@n",
)
def s17_gs_reset_gate_before_the_product(x_t, h_prev, U, W, b, b_n):
    # used Cho et al.'s original candidate, W_n (r * h_prev)
    H = h_prev.shape[1]
    gates = sigmoid(x_t @ U[: 2 * H].T + h_prev @ W[: 2 * H].T + b[: 2 * H])
    r, z = gates[:, :H], gates[:, H:]
    n = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + (r * h_prev) @ W[2 * H :].T + b_n)
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "1 - z", "z and 1 - z", "swapp", "old state", "update gate", "keeps", "@h")
def s17_gs_z_weighs_the_candidate(x_t, h_prev, U, W, b, b_n):
    # followed Olah's convention, z takes the new candidate
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    s = h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H : 2 * H] + s[:, H : 2 * H])
    n = np.tanh(a[:, 2 * H :] + r * (s[:, 2 * H :] + b_n))
    return z * n + (1 - z) * h_prev


@wrong("gru_step", "transpos", ".t", "w block", "w_r", "untransposed", "square", "@r")
def s17_gs_square_W_blocks_not_transposed(x_t, h_prev, U, W, b, b_n):
    # transposed U where the shapes demanded it; W's blocks are square and raised nothing
    H = h_prev.shape[1]
    W_r, W_z, W_n = W[:H], W[H : 2 * H], W[2 * H :]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W_r + b[:H])
    z = sigmoid(x_t @ U[H : 2 * H].T + h_prev @ W_z + b[H : 2 * H])
    n = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + r * (h_prev @ W_n + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_n", "missing", "left out", "forgot", "bias b_n", "@n")
def s17_gs_b_n_left_out(x_t, h_prev, U, W, b, b_n):
    # believed b[2H:] is the candidate's only bias
    Ur, Uz, Un = np.split(U, 3)
    Wr, Wz, Wn = np.split(W, 3)
    br, bz, bn = np.split(b, 3)
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    n = np.tanh(x_t @ Un.T + bn + r * (h_prev @ Wn.T))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_n", "inside", "outside", "r * (", "within the reset", "@n")
def s17_gs_b_n_outside_the_reset_gate(x_t, h_prev, U, W, b, b_n):
    # added b_n next to the other bias, outside r's product
    H = h_prev.shape[1]
    r = 1 / (1 + np.exp(-(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])))
    z = 1 / (1 + np.exp(-(x_t @ U[H : 2 * H].T + h_prev @ W[H : 2 * H].T + b[H : 2 * H])))
    n = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + b_n + r * (h_prev @ W[2 * H :].T))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "sigmoid", "sign", "exp(-", "logistic", "1 - r", "@r")
def s17_gs_sigmoid_with_the_sign_flipped(x_t, h_prev, U, W, b, b_n):
    # wrote the logistic function from memory as 1 / (1 + e^x)
    H = h_prev.shape[1]

    def sig(a):
        return 1 / (1 + np.exp(a))

    pre, rec = x_t @ U.T + b, h_prev @ W.T
    r, z = sig(pre[:, :H] + rec[:, :H]), sig(pre[:, H : 2 * H] + rec[:, H : 2 * H])
    n = np.tanh(pre[:, 2 * H :] + r * (rec[:, 2 * H :] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "reshape", "block", "rows", "interleav", "slice", "u[:h]", "@r")
def s17_gs_reshape_interleaves_the_blocks(x_t, h_prev, U, W, b, b_n):
    # believed reshape(H, 3, ...) cuts the stacked rows into the three blocks
    H = h_prev.shape[1]
    Ub = U.reshape(H, 3, -1)
    Wb = W.reshape(H, 3, H)
    bb = b.reshape(H, 3)
    r = sigmoid(x_t @ Ub[:, 0].T + h_prev @ Wb[:, 0].T + bb[:, 0])
    z = sigmoid(x_t @ Ub[:, 1].T + h_prev @ Wb[:, 1].T + bb[:, 1])
    n = np.tanh(x_t @ Ub[:, 2].T + bb[:, 2] + r * (h_prev @ Wb[:, 2].T + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "in place", "h_prev", "modif", "input", "*=", "@inputs", "@h_prev")
def s17_gs_h_prev_overwritten_in_place(x_t, h_prev, U, W, b, b_n):
    # reused h_prev's memory for h_t to save an array
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    s = h_prev @ W.T
    r = sigmoid(a[:, :H] + s[:, :H])
    z = sigmoid(a[:, H : 2 * H] + s[:, H : 2 * H])
    n = np.tanh(a[:, 2 * H :] + r * (s[:, 2 * H :] + b_n))
    h_prev *= z
    h_prev += (1 - z) * n
    return h_prev


@wrong("gru_step", "tanh", "sigmoid", "update gate", "between 0 and 1", "negative", "@z")
def s17_gs_tanh_for_the_update_gate(x_t, h_prev, U, W, b, b_n):
    # believed every part of the cell is squashed by tanh except the reset gate
    H = h_prev.shape[1]
    pre = np.einsum("nd,gd->ng", x_t, U) + b
    rec = np.einsum("nh,gh->ng", h_prev, W)
    r = sigmoid(pre[:, :H] + rec[:, :H])
    z = np.tanh(pre[:, H : 2 * H] + rec[:, H : 2 * H])
    n = np.tanh(pre[:, 2 * H :] + r * (rec[:, 2 * H :] + b_n))
    return (1 - z) * n + z * h_prev


@wrong("gru_step", "b_xn", "b[2*h:]", "inside", "input bias", "outside", "@n")
def s17_gs_input_bias_inside_the_reset_gate(x_t, h_prev, U, W, b, b_n):
    # believed both candidate biases belong inside the bracket the reset gate multiplies
    H = h_prev.shape[1]
    r = sigmoid(x_t @ U[:H].T + h_prev @ W[:H].T + b[:H])
    z = sigmoid(x_t @ U[H : 2 * H].T + h_prev @ W[H : 2 * H].T + b[H : 2 * H])
    n = np.tanh(x_t @ U[2 * H :].T + r * (h_prev @ W[2 * H :].T + b_n + b[2 * H :]))
    return (1 - z) * n + z * h_prev


@right("gru_step")
def s17_right_gs_np_split(x_t, h_prev, U, W, b, b_n):
    Ur, Uz, Un = np.split(U, 3, axis=0)
    Wr, Wz, Wn = np.split(W, 3, axis=0)
    br, bz, bxn = np.split(b, 3)
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    n = np.tanh(x_t @ Un.T + bxn + r * (h_prev @ Wn.T + b_n))
    return n + z * (h_prev - n)


@right("gru_step")
def s17_right_gs_einsum_blocks(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    Ub = U.reshape(3, H, -1)
    Wb = W.reshape(3, H, H)
    bb = b.reshape(3, H)
    a_in = np.einsum("nd,ghd->gnh", x_t, Ub) + bb[:, None, :]
    a_rec = np.einsum("nk,ghk->gnh", h_prev, Wb)
    r = 0.5 * (1 + np.tanh(0.5 * (a_in[0] + a_rec[0])))
    z = 0.5 * (1 + np.tanh(0.5 * (a_in[1] + a_rec[1])))
    n = np.tanh(a_in[2] + r * (a_rec[2] + b_n))
    return (1.0 - z) * n + z * h_prev


@right("gru_step")
def s17_right_gs_dict_of_blocks(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    block = {name: slice(i * H, (i + 1) * H) for i, name in enumerate("rzn")}
    pre = {g: x_t @ U[block[g]].T + b[block[g]] for g in "rzn"}
    rec = {g: h_prev @ W[block[g]].T for g in "rzn"}
    r = 1.0 / (1.0 + np.exp(-(pre["r"] + rec["r"])))
    z = 1.0 / (1.0 + np.exp(-(pre["z"] + rec["z"])))
    n = np.tanh(pre["n"] + r * (rec["n"] + b_n))
    return (1 - z) * n + z * h_prev


# --- s17 08 gru_step_backward ---


@wrong("gru_step_backward", "copy path", "dh_t * z", "g_t z_t", "direct", "z_t", "@dh_prev")
def s17_gb_copy_path_forgotten(dh_t, x_t, h_prev, U, W, b, b_n):
    # believed h_prev reaches the loss only through the three W blocks
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    dh_prev = to_W @ W
    return dh_prev, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong(
    "gru_step_backward", "r_t", "dm", "d_n * r", "reset gate", "w_n", "recurrent", "@dh_prev", "@dW"
)
def s17_gb_W_n_meets_d_n_without_r(dh_t, x_t, h_prev, U, W, b, b_n):
    # used one stack [d_r, d_z, d_n] for U and W alike
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    d_r = d_n * m * r * (1 - r)
    d = np.hstack([d_r, d_z, d_n])
    return dh_t * z + d @ W, d.T @ x_t, d.T @ h_prev, d.sum(axis=0), (d_n * r).sum(axis=0)


@wrong("gru_step_backward", "b_n", "inside the gate", "d_n * r", "r_t", "db_n", "@db_n")
def s17_gb_b_n_gradient_without_r(dh_t, x_t, h_prev, U, W, b, b_n):
    # believed b_n's gradient is the sum of delta_n, like every other bias
    H = h_prev.shape[1]
    Ur, Uz, Un = U[:H], U[H : 2 * H], U[2 * H :]
    Wr, Wz, Wn = W[:H], W[H : 2 * H], W[2 * H :]
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + b[:H])
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + b[H : 2 * H])
    m = h_prev @ Wn.T + b_n
    n = np.tanh(x_t @ Un.T + b[2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    dh_prev = dh_t * z + d_r @ Wr + d_z @ Wz + dm @ Wn
    dU = np.vstack([d_r.T @ x_t, d_z.T @ x_t, d_n.T @ x_t])
    dW = np.vstack([d_r.T @ h_prev, d_z.T @ h_prev, dm.T @ h_prev])
    db = np.concatenate([d_r.sum(0), d_z.sum(0), d_n.sum(0)])
    return dh_prev, dU, dW, db, d_n.sum(0)


@wrong(
    "gru_step_backward",
    "sigmoid",
    "derivative",
    "z * (1 - z)",
    "z(1 - z)",
    "update gate",
    "@d_z",
    "@dh_prev",
)
def s17_gb_sigmoid_derivative_missing_z(dh_t, x_t, h_prev, U, W, b, b_n):
    # took the sigmoid's derivative as 1 - z
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_t * z + to_W @ W, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong(
    "gru_step_backward",
    "h_prev - n",
    "sign",
    "1 - z",
    "z and 1 - z",
    "update gate",
    "@d_z",
    "@dh_prev",
)
def s17_gb_update_gate_error_sign_flipped(dh_t, x_t, h_prev, U, W, b, b_n):
    # differentiated h_t = z n + (1 - z) h_prev for the z part
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (n - h_prev) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_t * z + to_W @ W, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "tanh", "derivative", "1 - n**2", "n^2", "squared", "@d_n")
def s17_gb_tanh_derivative_one_minus_n(dh_t, x_t, h_prev, U, W, b, b_n):
    # wrote the tanh derivative as 1 - n
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r, z = sigmoid(fi[:, :H] + fs[:, :H]), sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_t * z + to_W @ W, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "b_n", "m_t", "w_n h", "reset gate", "d_r", "@d_r", "@dh_prev")
def s17_gb_reset_error_without_b_n(dh_t, x_t, h_prev, U, W, b, b_n):
    # believed r multiplies only the matrix product W_n h_prev
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    n = np.tanh(fi[:, 2 * H :] + r * (fs[:, 2 * H :] + b_n))
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * fs[:, 2 * H :] * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_t * z + to_W @ W, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong("gru_step_backward", "transpos", "w_r^t", "w^t", ".t", "dh_prev", "@dh_prev")
def s17_gb_blocks_transposed_on_the_way_back(dh_t, x_t, h_prev, U, W, b, b_n):
    # read W_r^T in the formula and wrote .T, on rows
    H = h_prev.shape[1]
    Wr, Wz, Wn = W[:H], W[H : 2 * H], W[2 * H :]
    r = sigmoid(x_t @ U[:H].T + h_prev @ Wr.T + b[:H])
    z = sigmoid(x_t @ U[H : 2 * H].T + h_prev @ Wz.T + b[H : 2 * H])
    m = h_prev @ Wn.T + b_n
    n = np.tanh(x_t @ U[2 * H :].T + b[2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    dh_prev = dh_t * z + d_r @ Wr.T + d_z @ Wz.T + dm @ Wn.T
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_prev, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong(
    "gru_step_backward",
    "mean",
    "average",
    "instead of the sum",
    "divided by n",
    "over the batch",
    "@db",
    "@db_n",
)
def s17_gb_bias_gradients_averaged(dh_t, x_t, h_prev, U, W, b, b_n):
    # believed a bias gradient is the average error over the records
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_t * z + to_W @ W, to_U.T @ x_t, to_W.T @ h_prev, to_U.mean(axis=0), dm.mean(axis=0)


@wrong("gru_step_backward", "u_n", "d_n", "r_t", "dm", "input part", "@dU")
def s17_gb_U_n_meets_dm(dh_t, x_t, h_prev, U, W, b, b_n):
    # believed the reset gate's factor r reaches U_n x_t too
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    stack = np.concatenate([d_r, d_z, dm], axis=1)
    return (
        dh_t * z + stack @ W,
        stack.T @ x_t,
        stack.T @ h_prev,
        np.concatenate([d_r, d_z, d_n], axis=1).sum(axis=0),
        dm.sum(axis=0),
    )


@wrong(
    "gru_step_backward", "w_z", "d_z", "update gate's", "update gate", "missing term", "@dh_prev"
)
def s17_gb_dh_prev_misses_the_update_gate_path(dh_t, x_t, h_prev, U, W, b, b_n):
    # believed the gates' errors only matter for the weights, except the reset gate's
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    dh_prev = dh_t * z + d_r @ W[:H] + dm @ W[2 * H :]
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_prev, to_U.T @ x_t, to_W.T @ h_prev, to_U.sum(axis=0), dm.sum(axis=0)


@wrong(
    "gru_step_backward", "h_prev", "h_{t-1}", "new state", "previous state", "h_t instead", "@dW"
)
def s17_gb_dW_pairs_with_the_new_state(dh_t, x_t, h_prev, U, W, b, b_n):
    # paired the recurrent errors with the state the step produced
    H = h_prev.shape[1]
    fi, fs = x_t @ U.T + b, h_prev @ W.T
    r = sigmoid(fi[:, :H] + fs[:, :H])
    z = sigmoid(fi[:, H : 2 * H] + fs[:, H : 2 * H])
    m = fs[:, 2 * H :] + b_n
    n = np.tanh(fi[:, 2 * H :] + r * m)
    h_t = (1 - z) * n + z * h_prev
    d_n = dh_t * (1 - z) * (1 - n**2)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    to_W = np.concatenate([d_r, d_z, dm], axis=1)
    to_U = np.concatenate([d_r, d_z, d_n], axis=1)
    return dh_t * z + to_W @ W, to_U.T @ x_t, to_W.T @ h_t, to_U.sum(axis=0), dm.sum(axis=0)


@right("gru_step_backward")
def s17_right_gb_per_block(dh_t, x_t, h_prev, U, W, b, b_n):
    Ur, Uz, Un = np.split(U, 3)
    Wr, Wz, Wn = np.split(W, 3)
    br, bz, bxn = np.split(b, 3)
    r = sigmoid(x_t @ Ur.T + h_prev @ Wr.T + br)
    z = sigmoid(x_t @ Uz.T + h_prev @ Wz.T + bz)
    m = h_prev @ Wn.T + b_n
    n = np.tanh(x_t @ Un.T + bxn + r * m)
    d_n = dh_t * (1 - z) * (1 - n * n)
    d_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = d_n * r
    d_r = d_n * m * r * (1 - r)
    dh_prev = dh_t * z + d_r @ Wr + d_z @ Wz + dm @ Wn
    dU = np.vstack([np.einsum("nh,nd->hd", d, x_t) for d in (d_r, d_z, d_n)])
    dW = np.vstack([np.einsum("nh,nk->hk", d, h_prev) for d in (d_r, d_z, dm)])
    db = np.concatenate([d_r.sum(axis=0), d_z.sum(axis=0), d_n.sum(axis=0)])
    return dh_prev, dU, dW, db, dm.sum(axis=0)


@right("gru_step_backward")
def s17_right_gb_stacked(dh_t, x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    s = h_prev @ W.T
    gates = 0.5 * (1 + np.tanh(0.5 * (a[:, : 2 * H] + s[:, : 2 * H])))
    r, z = gates[:, :H], gates[:, H:]
    m = s[:, 2 * H :] + b_n
    n = np.tanh(a[:, 2 * H :] + r * m)
    dn_pre = dh_t * (1.0 - z) * (1.0 - np.square(n))
    dz_pre = dh_t * (h_prev - n) * z * (1.0 - z)
    dm = r * dn_pre
    dr_pre = dn_pre * m * r * (1.0 - r)
    rec = np.hstack([dr_pre, dz_pre, dm])
    inp = np.hstack([dr_pre, dz_pre, dn_pre])
    return (
        z * dh_t + rec @ W,
        inp.T @ x_t,
        rec.T @ h_prev,
        np.sum(inp, axis=0),
        np.sum(dm, axis=0),
    )


# --- s17 09 sequence_backward_step ---


@wrong(
    "sequence_backward_step", "own loss", "dy_hat_t @ v", "v^t", "step t", "its own output", "@g_t"
)
def s17_sb_own_loss_forgotten(dh_next, dy_hat_t, h_t, W, V):
    # kept notebook 03's step, where only the last step had a loss
    g_t = dh_next.copy()
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "dh_next", "later step", "t + 1", "recurrent", "from step", "@g_t")
def s17_sb_later_steps_forgotten(dh_next, dy_hat_t, h_t, W, V):
    # believed each step's error comes from its own output only
    g_t = dy_hat_t @ V
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "transpos", "w^t", "delta_t @ w", ".t", "rows", "@dh_prev")
def s17_sb_dh_prev_through_W_transposed(dh_next, dy_hat_t, h_t, W, V):
    # read W^T delta in the formula and wrote .T, on rows
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W.T, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "tanh", "derivative", "1 - h_t**2", "twice", "already", "@delta_t")
def s17_sb_tanh_applied_again_in_derivative(dh_next, dy_hat_t, h_t, W, V):
    # took tanh'(h_t) = 1 - tanh(h_t)^2, as if h_t were the pre-activation
    g_t = dh_next + np.einsum("no,oh->nh", dy_hat_t, V)
    delta_t = g_t * (1 - np.tanh(h_t) ** 2)
    return g_t, delta_t, np.einsum("nh,hk->nk", delta_t, W), np.einsum("no,nh->oh", dy_hat_t, h_t)


@wrong("sequence_backward_step", "dv", "transpos", "shape", "(o, h)", "dy_hat_t.t @ h_t", "@dV_t")
def s17_sb_dV_transposed(dh_next, dy_hat_t, h_t, W, V):
    # paired h_t with the output error the other way round
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * (1 - h_t * h_t)
    return g_t, delta_t, delta_t @ W, h_t.T @ dy_hat_t


@wrong(
    "sequence_backward_step",
    "delta_t @ w",
    "g_t @ w",
    "before the tanh",
    "derivative",
    "instead of delta",
    "@dh_prev",
)
def s17_sb_dh_prev_from_g_instead_of_delta(dh_next, dy_hat_t, h_t, W, V):
    # passed the error back through W before the tanh derivative
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * (1 - h_t**2)
    dh_prev = g_t @ W
    return g_t, delta_t, dh_prev, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "delta_t", "g_t", "own loss", "dh_next", "after", "@delta_t")
def s17_sb_delta_from_dh_next_only(dh_next, dy_hat_t, h_t, W, V):
    # added the own loss to g_t but computed delta from the incoming error
    delta_t = dh_next * (1 - h_t**2)
    g_t = dh_next + dy_hat_t @ V
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t


@wrong(
    "sequence_backward_step",
    "mean",
    "average",
    "divided by n",
    "instead of the sum",
    "over the streams",
    "@dV_t",
)
def s17_sb_dV_averaged_over_streams(dh_next, dy_hat_t, h_t, W, V):
    # believed the share of dV must be averaged over the N streams
    N = h_t.shape[0]
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t / N


@wrong(
    "sequence_backward_step", "in place", "dh_next", "modif", "+=", "input", "@inputs", "@dh_next"
)
def s17_sb_dh_next_modified_in_place(dh_next, dy_hat_t, h_t, W, V):
    # added the own loss into dh_next to save an array
    dh_next += dy_hat_t @ V
    g_t = dh_next
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "h_t", "delta_t", "dv", "pairs", "output error", "@dV_t")
def s17_sb_dV_pairs_with_delta(dh_next, dy_hat_t, h_t, W, V):
    # believed every weight's share pairs an error with delta_t
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ delta_t


@wrong(
    "sequence_backward_step",
    "sigmoid",
    "tanh",
    "1 - h_t**2",
    "derivative",
    "h * (1 - h)",
    "@delta_t",
)
def s17_sb_sigmoid_derivative_for_tanh(dh_next, dy_hat_t, h_t, W, V):
    # used the sigmoid's derivative from notebook 08's gates
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * h_t * (1 - h_t)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t


@wrong("sequence_backward_step", "order", "dh_prev", "dv_t", "swapp", "four", "@dh_prev")
def s17_sb_returns_dV_before_dh_prev(dh_next, dy_hat_t, h_t, W, V):
    # returned the gradients first, then what goes back in time
    g_t = dh_next + dy_hat_t @ V
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, dy_hat_t.T @ h_t, delta_t @ W


@right("sequence_backward_step")
def s17_right_sb_einsum(dh_next, dy_hat_t, h_t, W, V):
    g_t = dh_next + np.einsum("no,oh->nh", dy_hat_t, V)
    delta_t = g_t * (1.0 - np.square(h_t))
    dh_prev = np.einsum("nh,hk->nk", delta_t, W)
    dV_t = np.einsum("no,nh->oh", dy_hat_t, h_t)
    return g_t, delta_t, dh_prev, dV_t


@right("sequence_backward_step")
def s17_right_sb_column_vectors(dh_next, dy_hat_t, h_t, W, V):
    # in the markdown's column convention, then back to rows
    g_col = dh_next.T + V.T @ dy_hat_t.T  # (H, N)
    delta_col = g_col * (1 - h_t.T**2)
    dh_prev = (W.T @ delta_col).T
    dV_t = sum(np.outer(dy_hat_t[i], h_t[i]) for i in range(h_t.shape[0]))
    return g_col.T, delta_col.T, dh_prev, np.asarray(dV_t, dtype=float).reshape(V.shape)


# --- s17 09 temperature_probabilities ---


@wrong(
    "temperature_probabilities",
    "after",
    "before the softmax",
    "temperature",
    "sum to 1",
    "divide the scores",
    "@probabilities",
)
def s17_tp_temperature_after_softmax(y_hat, temperature):
    # took the softmax first and divided the probabilities by the temperature
    e = np.exp(y_hat - y_hat.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True) / temperature


@wrong(
    "temperature_probabilities",
    "max",
    "overflow",
    "inf",
    "nan",
    "shift",
    "subtract",
    "@probabilities",
)
def s17_tp_no_max_shift(y_hat, temperature):
    # believed np.exp copes with any score
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(y_hat / temperature)
        return e / np.sum(e, axis=1, keepdims=True)


@wrong("temperature_probabilities", "axis 0", "axis=0", "column", "each row's", "row max", "@shift")
def s17_tp_shift_by_the_column_max(y_hat, temperature):
    # subtracted the max along axis 0, believing it the row's
    e = np.exp((y_hat - y_hat.max(axis=0, keepdims=True)) / temperature)
    return e / e.sum(axis=1, keepdims=True)


@wrong(
    "temperature_probabilities",
    "axis 0",
    "axis=0",
    "column",
    "each row",
    "normalis",
    "@probabilities",
)
def s17_tp_normalises_the_columns(y_hat, temperature):
    # normalised along axis 0
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=0, keepdims=True)


@wrong(
    "temperature_probabilities",
    "whole",
    "each row",
    "one sum",
    "entire",
    "whole batch",
    "@probabilities",
)
def s17_tp_normalises_over_the_whole_batch(y_hat, temperature):
    # divided by one sum over everything
    e = np.exp((y_hat - np.max(y_hat, axis=1, keepdims=True)) / temperature)
    return e / e.sum()


@wrong(
    "temperature_probabilities", "multipl", "divide", "temperature", "sharper", "flatter", "@scores"
)
def s17_tp_multiplies_by_the_temperature(y_hat, temperature):
    # scaled the scores by T rather than by 1 / T
    s = y_hat * temperature
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong(
    "temperature_probabilities",
    "max",
    "overflow",
    "divided",
    "shift",
    "inf",
    "nan",
    "@probabilities",
)
def s17_tp_shift_not_divided_by_temperature(y_hat, temperature):
    # divided by T, then subtracted the max of the undivided scores
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(y_hat / temperature - y_hat.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "in place", "y_hat", "modif", "-=", "input", "@inputs")
def s17_tp_scores_modified_in_place(y_hat, temperature):
    # shifted and scaled the caller's scores in place to save memory
    y_hat -= y_hat.max(axis=1, keepdims=True)
    y_hat /= temperature
    np.exp(y_hat, out=y_hat)
    return y_hat / y_hat.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "clip", "max", "shift", "overflow", "saturat", "@probabilities")
def s17_tp_clips_the_scores_against_overflow(y_hat, temperature):
    # clipped the divided scores so that np.exp cannot overflow
    s = np.clip(y_hat / temperature, -500.0, 500.0)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


@wrong("temperature_probabilities", "float32", "precision", "dtype", "float64", "@probabilities")
def s17_tp_computes_in_float32(y_hat, temperature):
    # cast to float32, believing probabilities need no more digits
    s = np.asarray(y_hat, dtype=np.float32) / np.float32(temperature)
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@wrong(
    "temperature_probabilities", "keepdims", "broadcast", "axis", "row", "(n, 1)", "@probabilities"
)
def s17_tp_row_sums_without_keepdims(y_hat, temperature):
    # divided by the (N,) row sums without keepdims
    e = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return e / e.sum(axis=1)


@wrong(
    "temperature_probabilities",
    "log",
    "probabilit",
    "exp",
    "log-softmax",
    "negative",
    "@probabilities",
)
def s17_tp_returns_log_probabilities(y_hat, temperature):
    # stopped at the log-softmax, believing it the numerically safe answer
    s = y_hat / temperature
    s = s - s.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


@wrong(
    "temperature_probabilities", "each row", "global", "max", "row's", "underflow", "nan", "@shift"
)
def s17_tp_shift_by_the_global_max(y_hat, temperature):
    # subtracted the largest score of the whole batch
    with np.errstate(invalid="ignore"):
        e = np.exp((y_hat - y_hat.max()) / temperature)
        return e / e.sum(axis=1, keepdims=True)


@right("temperature_probabilities")
def s17_right_tp_log_sum_exp(y_hat, temperature):
    s = np.asarray(y_hat, dtype=float) / temperature
    s = s - np.max(s, axis=-1, keepdims=True)
    log_z = np.log(np.sum(np.exp(s), axis=-1, keepdims=True))
    return np.exp(s - log_z)


@right("temperature_probabilities")
def s17_right_tp_row_by_row(y_hat, temperature):
    out = np.empty(np.shape(y_hat), dtype=float)
    for i, row in enumerate(y_hat):
        e = np.exp((row - row.max()) / temperature)
        out[i] = e / e.sum()
    return out


@right("temperature_probabilities")
def s17_right_tp_transpose_broadcast(y_hat, temperature):
    e = np.exp((y_hat.T - y_hat.max(axis=1)) / temperature)
    return (e / e.sum(axis=0)).T


REVIEWED = {
    "always_adds_a_channel_axis": ("named", "'right values, flattened or reshaped' is the slip"),
    "empty_buffer": ("generic", "'states holds NaN' is true and names no cause"),
}
# the last set, sorted by reading every message (its answers carry no fragments) when it was
# measured; the ones not listed read as generic: they say only what is observed. The four
# misleading ones were fixed after the measurement (a wrong dV alone is not blamed on the steps;
# "zero everywhere" and "twice the gradient" name no cause they cannot see; the GRU's
# conclusion where only z close to 1 is right claims no single part)
REVIEWED.update({
    'each_window_transposed': ('named', 'names the swapped axes'),
    'forgets_the_state': ('named', 'h_prev is missing'),
    'tanh_in_float32': ('named', 'the dtype'),
    'adds_input_and_state': ('named',
                              "the impossible x_t + h_prev in the learner's line, and x_t @ U.T"),
    'always_from_h0': ('named', 'one step right, the steps do not follow each other'),
    'drops_the_last_state': ('named', 'h_T missing'),
    'own_step_without_transpose': ('named', 'D against H in `X[:, t, :] @ U`'),
    'prepends_each_state': ('generic',
                             'true (states[0] is not h_0) but does not say the order is reversed'),
    'readout_as_columns': ('named', 'the transpose'),
    'targets_transposed': ('named', '(N, O) against (O, N) in `Y_hat - Y.T`'),
    'gradient_transposed': ('named', 'the transpose'),
    'gradient_in_float32': ('named', 'the dtype'),
    'recurrent_share_transposed_back': ('named', 'dW_t transposed'),
    'bias_share_averaged': ('named', 'the mean over the records'),
    'returns_a_dict_of_shares': ('named', 'return 5 values'),
    'readout_over_the_window': ('misleading',
                                 'dV alone is wrong, yet the conclusion blames how the steps '
                                 'combine'),
    'passes_delta_on': ('named', 'pass dh_prev = delta_t @ W on'),
    'bias_gradient_kept_2d': ('named', 'reshaped'),
    'evaluates_before_moving': ('misleading',
                                 'says f saw a copy; the code evaluates f before moving x'),
    'ten_times_eps': ('named', 'eps = 1e-2, not the eps given'),
    'steps_of_two_eps': ('misleading',
                          'twice the gradient is right, the cause given (dividing by eps) is not'),
    'column_major_loop_on_2d': ('named', 'right for 2-D, `rows, cols = x.shape` fails on 1-D'),
    'squared_norm_in_the_test': ('named', 'scaled below the threshold'),
    'clipped_in_float32': ('named', 'the dtype'),
    'divides_by_the_scale': ('named', 'the factor upside down'),
    'learning_rate_on_u_only': ('named', 'parameters change with learning_rate = 0: not p - lr g'),
    'sums_the_gradients_of_all_epochs': ('named',
                                          'one update right, the epochs do not follow as SGD'),
    'forward_with_v_and_c_swapped': ('named', "the refused call and V's shape"),
    'starts_counting_at_one': ('named', 'one epoch too few'),
    'clips_the_parameters': ('named', 'parameters change with learning_rate = 0: not p - lr g'),
    'returns_the_last_gradients': ('named', 'not p - lr g (it returns the gradients)'),
    'precedence_gives_cho': ('named', 'the Cho variant that the precedence made'),
    'rows_of_the_transpose': ('named',
                               '(N, H) against (N, 3H) in `h_prev @ W.T[:H]`, and W[:H].T'),
    'one_minus_reset': ('named', 'the candidate n'),
    'b_n_in_every_gate': ('misleading',
                           'blames the candidate; b_n was added to the gates r and z'),
    'state_as_columns': ('named', 'the transpose'),
})

# session 6: the checkers changed (set s6 was written first and measured before any change), so
# the verdicts of the older sets were read again. These messages name the real slip, but not in
# the words of the set's fragments (or their old review no longer holds): sorted by reading.
REVIEWED.update({
    "guards_the_division": ("named", "the norm + 1e-06 guard, which is not needed"),
    "every_second_window": ("named", "every second window only, step 1"),
    "product_of_parts": ("named", "the parts multiplied, not added in one tanh"),
    "empty_buffer": ("named", "states[0] holds NaN from np.empty: h_0 = 0"),
    "bias_at_the_first_step_only": ("named", "b added at the first step only"),
    "divides_by_the_outputs": ("named", "divided by O, not by N"),
    "divides_by_n_squared": ("named", "divided by N twice"),
    "gradient_over_n_squared": ("named", "divided by N twice"),
    # set "last", read again
    "window_starts_at_one": ("named", "window i starts one step late"),
    "windows_of_the_reversed_series": ("named", "cut from the reversed series"),
    "windows_ending_at_the_target": ("named", "window i starts one step late, at series[i + 1]"),
    "time_major_windows": ("named", "stacked along axis 1: stack on axis 0"),
    "standardized_windows": ("named", "the windows are standardized"),
    "recurrence_after_the_tanh": ("named", "W applied after the tanh"),
    "einsum_with_swapped_indices": ("named", "einsum's subscripts do not fit, in the learner's "
                                    "line"),
    "three_separate_terms": ("named", "one tanh per part, b outside"),
    "output_bias_in_every_step": ("named", "c added in every step"),
    "prepends_each_state": ("named", "the states stored newest first"),
    "norm_not_squared": ("named", "np.linalg.norm, a square root"),
    "floor_division": ("named", "// floor division"),
    "mean_over_outputs": ("named", "divided by O, not by N"),
    "mixed_up_derivative": ("named", "h_t and h_prev mixed in tanh'"),
    "skip_connection": ("named", "dh_t added to dh_prev"),
    "first_record_share": ("named", "only the first record's share"),
    "readout_over_the_window": ("named", "dV read out from every state of the window"),
    "error_starts_without_v": ("named", "the error entering h_T is dY_hat, not dY_hat @ V"),
    "skips_the_last_recurrent_share": ("named", "dW leaves out step T's share"),
    "k_read_as_steps_to_skip": ("named", "the loop ran no step: range(T, k, -1)"),
    "relative_step": ("named", "x moved by eps * abs(x)"),
    "evaluates_before_moving": ("named", "never called with x moved down: each move before "
                                "its call"),
    "normalized_gradient": ("named", "divided by its norm"),
    "steps_of_two_eps": ("named", "twice the gradient, and the rule: x moved by eps each way"),
    "own_norms_global_threshold": ("named", "each array scaled by its own norm"),
    "matrices_only": ("named", "the norm leaves out arrays (the first 3 only, the 2-D ones)"),
    "forgets_the_last_array": ("named", "array 4 (dc) left unscaled"),
    "b_n_in_every_gate": ("named", "b_n added to the gates r and z"),
    "update_gate_from_the_input_only": ("named", "z leaves out h_prev"),
})

# set "s6-fresh", read: these give no cause, but do not name a wrong one either
REVIEWED.update({
    "mwf_slice_end_not_shifted": ("named", "the hint: record i is series[i : i + T] (when first "
                                  "measured: generic)"),
    "rff_loop_from_one": ("named", "the loop starts at t = 1 and skips X[:, 0] (when first "
                          "measured: generic)"),
    "ngf_buffer_of_the_first_axis": ("named", "the 1-D buffer, made from one size: np.zeros_like"
                                     "(x) (generic when s6-fresh was first measured)"),
    "one_dimensional_buffer": ("named", "the 1-D buffer, made from one size: np.zeros_like(x)"),
})

# set "s6-final", read when it was measured (before the two fixes that followed it)
REVIEWED.update({
    "rfz_steps_counted_from_the_records": ("named", "the loop runs N = X.shape[0] steps (when "
                                           "measured: generic)"),
    "trz_updates_from_the_input_list": ("named", "every update from the initial parameters "
                                        "(when measured: generic)"),
    # these two were misleading when measured, and were fixed after it: the table now shows
    # them named, the measurement is in the docstring
    "bpz_readout_over_k": ("named", "dV divided by N or by k, listed as equal here (when "
                           "measured it named N only: misleading)"),
    "trz_threshold_times_n": ("named", "clipping missing or never acting (when measured it said "
                              "missing only: misleading)"),
    "mwf_target_column_of_the_first_channel": ("named", "only the first of the D entries "
                                               "(after s6-fresh was first measured)"),
})

# set "s6-last", read when it was measured
REVIEWED.update({
    "ngq_flat_loop_into_a_shaped_buffer": ("named", "range(x.size) needs x.flat[i] and "
                                           "grad.flat[i] (when measured: generic)"),
})

# set "s6-end", read when it was measured
REVIEWED.update({
    "bpe_input_share_transposed": ("named", "(H, D) against (D, H) in the learner's line "
                                   "`dU + X[:, t - 1].T @ delta`"),
    "cge_largest_own_norm": ("named", "the largest array norm, listed beside the first array's "
                             "(equal here); when measured it named the first only: misleading"),
})


LOCATED = "Where it goes wrong:"  # the line of a "locate" diagnosis (see classify)


# session 7: messages that name the real slip in other words than the bank's fragments
REVIEWED.update({
    "s7b_bp_readout_from_the_first_state": ("named", "dV reads states[1]: dV = dY_hat.T @ "
                                            "states[T]"),
    "s7b_bp_states_read_one_early": ("named", "the window shifted one step back, t = T-1 .. "
                                     "T-k: states and X read one step early"),
    "s7b_tr_gradient_ascent": ("named", "the update goes uphill: p - learning_rate * g"),
})


# set "s7-after", read when it was measured: these two located lines list three places (the
# candidate n, r, or z away from 1), not one part
REVIEWED.update({
    "s7a_gs_candidate_reads_h_prev_twice": ("generic", "three places, not one part"),
    "s7a_gs_reset_gate_through_tanh": ("generic", "three places, not one part ('r' matched "
                                       "loosely)"),
})

# set "s7-final", read when it was measured: this located line lists three places (the
# candidate n, r, or z away from 1), not one part
REVIEWED.update({
    "s7f_gs_sigmoid_without_parentheses": ("generic", "three places, not one part ('r' "
                                           "matched loosely)"),
})


# set "s7-heldout3", read when it was measured
REVIEWED.update({
    "s7h_rf_cumulative_input": ("misleading", "blames the order of the arguments, which is "
                                "right (the comma inside X[:, :t + 1] read as a separator)"),
    "s7h_ng_restores_a_float32_copy": ("located", "the save and restore, not the np.float32 of "
                                       "the saved value"),
    "s7h_gs_reset_gate_from_the_state_only": ("generic", "three places, not one part"),
    "s7h_tp_scores_raised_to_one_over_t": ("located", "what goes into the exp, "
                                           "np.exp((y_hat - ...) / T)"),
    "s7h_tp_returns_log_probabilities": ("located", "the normalisation, rows that do not sum "
                                         "to 1"),
})

# set "s6-end", read again in session 7 after the located diagnosis was added: its answers carry
# no "@" fragments, so these were sorted by reading (the part named is the one that holds the
# slip). gse_relu_candidate and gse_reset_on_the_bias_only stay generic: their line lists three
# places (the candidate, r, or z away from 1), not one
REVIEWED.update({name: ("located", why) for name, why in {
    "fse_minus_the_previous_state": "the state's part (the slip subtracts h_prev)",
    "fse_mean_of_the_bias": "the bias b",
    "rfe_output_bias_subtracted": "the read-out Y_hat = states[T] @ V.T + c",
    "mle_square_of_the_mean_error": "L's line, dY_hat right",
    "mle_against_the_column_means": "the errors Y_hat - Y, which both use",
    "bse_delta_divided_by_n": "delta_t",
    "bse_both_ways_through_w": "dh_prev = delta_t @ W",
    "bse_outer_of_sum_and_mean": "dW_t = delta_t.T @ h_prev",
    "bpe_error_injected_at_every_step": "step T - 1's dh_t, what the step after passes back",
    "bpe_output_bias_times_k": "dc = dY_hat.sum(axis=0)",
    "nge_values_rounded_to_float32": "the difference quotient (f's values are rounded there)",
    "cge_elementwise_minimum": "array 0 is not a multiple of its input (np.minimum)",
    "cge_square_of_the_total": "the factor is not threshold / norm: the norm",
    "tre_rate_times_n": "the step's size, learning_rate * g (6 = N times the right step)",
    "gse_sigmoid_without_the_minus": "z falls where it must rise: the sigmoid",
}.items()})


def classify(text: str, names: tuple[str, ...]) -> str:
    """accepted, generic (checked first, so that a loose fragment cannot count), named, located,
    or misleading (a message that gives a cause, but not this answer's).

    A message with a "Where it goes wrong:" line (the checkers' locate diagnosis) is sorted by
    its two halves: named if the text before that line names the slip (and is not only a
    generic observation); else located if the line names the part to fix: one of the answer's
    fragments that start with "@" (the output, step, window, update, gate or term that holds the
    slip, written with the bank before the checkers were run on it). A located line that names
    another part is misleading. Answers without "@" fragments (the older banks) are generic
    unless REVIEWED says otherwise.
    """
    flat = text.replace("\n  ", " ")
    if flat.startswith("PASS"):
        return "accepted"
    parts = tuple(n[1:] for n in names if n.startswith("@"))
    names = tuple(n for n in names if not n.startswith("@"))
    if flat.startswith("FAIL") and LOCATED in flat:
        before, where = flat.split(LOCATED, 1)
        kind = classify(before.rstrip(), names)
        if kind in ("named", "accepted"):
            return kind
        if not parts:
            return "generic"
        return "located" if any(p in flat for p in parts) else "misleading"
    if not flat.startswith("FAIL") or any(g in flat for g in GENERIC):
        return "generic"
    if "has shape" in flat and ": " not in flat.split("expected", 1)[-1]:
        return "generic"  # a shape, without a cause
    if "must be one number, got" in flat and flat.endswith("values)"):
        return "generic"  # a shape, without a cause
    if "raised" in flat and "Hint" not in flat and "check the range" not in flat and \
            "refused" not in flat:
        return "generic"  # the exception's own text, without a cause
    if any(o in flat for o in OBSERVED):
        return "generic"
    if any(n in flat for n in names):
        return "named"
    return "misleading"


# Session 8: messages re-read after the checkers changed (these supersede the readings above,
# which were of the messages when each set was measured; the docstring keeps those)
REVIEWED.update({
    "s7a_gs_candidate_reads_h_prev_twice": ("located", "the candidate n, one part"),
    "s7a_gs_reset_gate_through_tanh": ("located", "r and its sigmoid, one part"),
    "s7f_gs_sigmoid_without_parentheses": ("located", "z and the sigmoid in it"),
    "s7h_gs_reset_gate_from_the_state_only": ("named", "r leaves out U_r and b_r"),
    "s7h_rf_cumulative_input": ("located", "step 2, the first wrong state"),
    "s10_mw_length_from_the_size_of_the_series": ("located", "the windows past the series' end "
                                                  "(shapes (3, D) ... (0, D))"),
    "s10_mw_buffer_with_one_channel_written_in": ("named", "the buffer made with 1 for D"),
    "s10_fs_broadcast_product_summed_over_the_units": ("located", "input_part's shape (N, D)"),
    "s10_rf_slice_keeps_the_time_axis": ("located", "the states' shape after a step, and X[:, t]"),
    "s10_ml_record_loop_from_one": ("located", "the line of L, dY_hat right"),
    "s10_ml_loss_rounded": ("located", "the line of L, dY_hat right"),
    "s10_cg_frobenius_norm_of_every_array": ("named", "'fro' is for matrices, the biases 1-D"),
    "s10_gs_update_gate_from_the_reset_state": ("located", "z's line"),
    "s10_gb_reset_derivative_of_chos_convention": ("located", "da_r's line"),
})


# Session 11: set s17's messages read (the fragments miss slips named in other words)
REVIEWED.update({
    "s17_mw_only_first_channel": ("named", "only the first 1 of the 2 entries along D"),
    "s17_rf_state_carried_between_calls": ("named", "keeps something from one call to the "
                                           "next, e.g. a default argument"),
    "s17_ml_gradient_keeps_the_two": ("named", "the 2 of the square should cancel the 1/2"),
    "s17_bp_accumulators_in_default_argument": ("named", "one array made once, outside the "
                                                "function, returned on every call"),
    "s17_bp_truncation_keeps_the_first_steps": ("named", "the k steps are the first ones"),
    "s17_tr_clips_the_step_instead_of_the_gradient": ("named", "clipping never acts (at a "
                                                      "larger threshold): lr * g clipped"),
    "s17_tr_shuffles_X_and_Y_separately": ("named", "right with one target for all: how the "
                                           "records meet their targets, one permutation"),
    "s17_tr_rebinds_the_loop_variable": ("named", "the parameters did not change: assign "
                                         "them back"),
    "s17_gb_tanh_derivative_one_minus_n": ("located", "da_n = dn * (1 - n**2)"),
    "s17_tp_temperature_after_softmax": ("named", "T divides the probabilities"),
    "s17_tp_shift_by_the_column_max": ("located", "the shift's line, y_hat.max(axis=1, ...)"),
    "s17_tp_normalises_the_columns": ("named", "the columns of p sum to 1, the rows do not"),
})


def table(which: str, verbose: bool) -> list[str]:
    """Print the table of one set; return the notes on its verdicts."""
    rows: dict[str, Counter] = {name: Counter() for name in ex.EXERCISES}
    notes = []
    for group, piece, name, fn, names in WRONG:
        if group != which:
            continue
        text = ex.EXERCISES[piece].check(fn).text
        default = (classify(text, names), "") if group != "last" else ("generic", "")
        kind, why = REVIEWED.get(name, default)
        kind_note = f"{kind}, by review: {why}" if why else kind
        rows[piece][kind] += 1
        if verbose or kind != "named":
            notes.append(f"[{which}, {kind_note}] {piece} / {name}:\n{text}\n")
    for group, piece, name, fn in RIGHT:
        if group != which:
            continue
        verdict = ex.EXERCISES[piece].check(fn)
        rows[piece]["right"] += 1
        rows[piece]["right passed"] += verdict.passed
        if not verdict.passed:
            notes.append(f"[{which}, correct, rejected] {piece} / {name}:\n{verdict.text}\n")
    columns = ("accepted", "named", "located", "misleading", "generic")
    print(f"set {which}:\n")
    print(f"| exercise | wrong | {' | '.join(columns)} | correct in other styles accepted |")
    print("|---|---|" + "---|" * len(columns) + "---|")
    total = Counter()
    for piece, row in rows.items():
        wrong_count = sum(row[c] for c in columns)
        total.update(row)
        total["wrong"] += wrong_count
        print(f"| {piece} | {wrong_count} | " + " | ".join(str(row[c]) for c in columns)
              + f" | {row['right passed']} of {row['right']} |")
    print(f"| all | {total['wrong']} | " + " | ".join(str(total[c]) for c in columns)
          + f" | {total['right passed']} of {total['right']} |\n")
    return notes


def main(verbose: bool) -> None:
    notes = (table("first", verbose) + table("second", verbose) + table("held-out", verbose)
             + table("last", verbose) + table("s6", verbose) + table("s6-fresh", verbose)
             + table("s6-final", verbose) + table("s6-last", verbose)
             + table("s6-end", verbose) + table("s7-before", verbose)
             + table("s7-after", verbose) + table("s7-final", verbose)
             + table("s7-heldout3", verbose) + table("s8", verbose)
             + table("s9", verbose) + table("s10", verbose)
             + table("s11", verbose) + table("s12", verbose) + table("s13", verbose)
             + table("s14", verbose) + table("s15", verbose)
             + table("s16", verbose) + table("s17", verbose))
    print("\n".join(notes))


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
