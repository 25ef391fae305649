// `n` is withdrawn: the nodes a listing's total takes off its label's count (a seek on <label>_withdrawn,
// 010_withdrawn), rather than testing `withdrawn IS NULL` on every node.
n.withdrawn IS NOT NULL
