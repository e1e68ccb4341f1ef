package io.federa.ml.psi;

/**
 * What one party gets from an intersection.
 *
 * @param rows this party's rows in the intersection, in the order every party agreed on (the
 *     guest's row order); {@code null} when this party may not learn them
 * @param size the intersection's size; −1 when this party may not learn it
 * @param ownSize this party's number of ids
 */
public record PsiResult(int[] rows, int size, int ownSize) {}
