#!/usr/bin/env Rscript
# Copied unchanged (apart from these two lines) from the project's peer benchmark
# harness, ../shared/benchmarks/r/r_growth_boot.R.
# r_growth_boot.R - the typical analyst's growth-accounting script on the provincial panel.
#   usage: Rscript r_growth_boot.R FILE [STYLE=loop] [B=10000] [SEED=42]
# 1. read.csv; sum output, capital, labour over sectors for each province-year;
# 2. per province, the Solow residual with a fixed capital share alpha = 0.4:
#      g_A(t) = dlog Y(t) - 0.4 dlog K(t) - 0.6 dlog L(t)      (one value per year step)
#    and the TFP contribution to growth, 100 * mean(g_A) / mean(dlog Y)  (percent);
# 3. bootstrap, resampling years (B replicates): the same B x n draw of year steps is
#    applied to every province, giving each province's contribution SE / 95% CI and the
#    cross-province mean contribution's SE / CI.
# STYLE loop   : per province, sapply over the B replicates (the usual way it is written)
# STYLE matrix : one loop over replicates, colMeans over all provinces at once
# Both styles use the same draws and print identical numbers.
#   RESULT read_s=.. est_s=.. rows=.. mean_tfp_growth=.. mean_contrib=.. boot_se=.. boot_lo=.. boot_hi=..
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript r_growth_boot.R FILE [loop|matrix] [B] [SEED]")
file <- args[1]
style <- if (length(args) >= 2) args[2] else "loop"
B <- if (length(args) >= 3) as.integer(args[3]) else 10000L
seed <- if (length(args) >= 4) as.integer(args[4]) else 42L
alpha <- 0.4
clock <- function() proc.time()[["elapsed"]]

t0 <- clock()
d <- read.csv(file)
t1 <- clock()

agg <- aggregate(cbind(output, capital, labour) ~ id + year, data = d, FUN = sum)
agg <- agg[order(agg$id, agg$year), ]
provs <- split(agg, agg$id)
gy <- sapply(provs, function(p) diff(log(p$output)))             # n x P matrices of growth
gk <- sapply(provs, function(p) diff(log(p$capital)))
gl <- sapply(provs, function(p) diff(log(p$labour)))
tfp <- gy - alpha * gk - (1 - alpha) * gl
n <- nrow(tfp); P <- ncol(tfp)
contrib <- 100 * colMeans(tfp) / colMeans(gy)

set.seed(seed)
idx <- matrix(sample.int(n, B * n, replace = TRUE), nrow = B)     # row b = years drawn in replicate b
if (style == "loop") {
  boot <- sapply(seq_len(P), function(j) {
    a <- tfp[, j]; y <- gy[, j]
    sapply(seq_len(B), function(b) { i <- idx[b, ]; 100 * mean(a[i]) / mean(y[i]) })
  })
} else if (style == "matrix") {
  boot <- matrix(0, B, P)
  for (b in seq_len(B)) {
    i <- idx[b, ]
    boot[b, ] <- 100 * colMeans(tfp[i, , drop = FALSE]) / colMeans(gy[i, , drop = FALSE])
  }
} else stop("unknown style ", style)
prov_se <- apply(boot, 2, sd)
prov_ci <- apply(boot, 2, quantile, probs = c(0.025, 0.975))
nat <- rowMeans(boot)                                              # mean contribution across provinces
res <- data.frame(province = names(provs), tfp_growth = colMeans(tfp), contrib = contrib,
                  se = prov_se, lo = prov_ci[1, ], hi = prov_ci[2, ])
t2 <- clock()

print(head(res, 5), digits = 6)
cat(sprintf("provinces=%d year-steps=%d B=%d  mean contribution %.4f%%  boot SE %.4f  95%% CI [%.4f, %.4f]\n",
            P, n, B, mean(contrib), sd(nat), quantile(nat, 0.025), quantile(nat, 0.975)))
cat(sprintf("RESULT read_s=%.4f est_s=%.4f rows=%d mean_tfp_growth=%.15g mean_contrib=%.15g boot_se=%.15g boot_lo=%.15g boot_hi=%.15g\n",
            t1 - t0, t2 - t1, nrow(d), mean(tfp), mean(contrib), sd(nat),
            quantile(nat, 0.025), quantile(nat, 0.975)))
