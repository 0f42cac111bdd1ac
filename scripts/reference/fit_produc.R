# More reference values for `tfp fit` on Produc (Munnell 1990), beyond plm_produc.R:
# White HC1 and Stata-style clustered standard errors of the panel models, Student-t
# statistics and p-values, log-likelihoods, a translog with output elasticities at the mean
# (delta method) and a constant-returns (CRS) Cobb-Douglas.
#
# Run from the repository root:   Rscript scripts/reference/fit_produc.R
#
# Reads   datasets/plm/Produc.csv, tests/fixtures/reference/produc_unbalanced10.csv
# Writes  tests/fixtures/reference/fit_produc_extra.csv
#
# Long format data,model,term,statistic,value (values sprintf("%.17g")):
#   data       balanced | unbalanced
#   model      pooling | within | twoways | random        (as in plm_produc.R), and
#              translog_pooling, translog_within, crs       (balanced only)
#   term       coefficient, "." for model statistics, or elasticity(<term>) / returns_to_scale
#   statistic  see the definitions next to each add() call below.

suppressPackageStartupMessages({
  library(plm)
  library(sandwich)
})
source("scripts/reference/read_exact.R")
num_cols <- c("region", "pcap", "hwy", "water", "util", "pc", "gsp", "emp", "unemp")
read_produc <- function(file) {
  d <- read_csv_exact(file, num_cols)
  d$year <- as.integer(d$year)
  d
}
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
fml <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp

rows <- list()
add <- function(data, model, term, statistic, value) {
  rows[[length(rows) + 1L]] <<- data.frame(data = data, model = model, term = term,
                                           statistic = statistic, value = fmt(value),
                                           stringsAsFactors = FALSE)
}

# (X'X)^-1 meat (X'X)^-1 * factor, written out, to check plm's vcovHC.
sandwich_by_hand <- function(X, u, group, factor) {
  B <- solve(crossprod(X))
  meat <- if (is.null(group)) crossprod(X * u) else
    Reduce(`+`, lapply(split(seq_len(nrow(X)), group), function(ix) {
      s <- crossprod(X[ix, , drop = FALSE], u[ix]); s %*% t(s)
    }))
  B %*% meat %*% B * factor
}

# Gaussian log-likelihood of the random-effects model at plm's estimates, profiled over the
# scale at plm's variance ratio psi = sigma2_indiv / sigma2_idios: written with the full
# covariance Omega_i = s2 (I + psi J) of each state, s2 = RSS / n from the transformed model.
re_loglik <- function(m, d, group) {
  e <- ercomp(m)
  psi <- e$sigma2[["id"]] / e$sigma2[["idios"]]
  X <- model.matrix(fml, model.frame(fml, d))
  y <- log(d$gsp)
  r <- as.numeric(y - X %*% coef(m))
  n <- length(y)
  s2 <- deviance(m) / n
  ll <- -0.5 * n * log(2 * pi)
  for (ix in split(seq_len(n), group)) {
    Ti <- length(ix)
    Om <- s2 * (diag(Ti) + psi * matrix(1, Ti, Ti))
    ll <- ll - 0.5 * (as.numeric(determinant(Om)$modulus) + sum(r[ix] * solve(Om, r[ix])))
  }
  ll
}

panel_models <- function(d, tag) {
  pd <- pdata.frame(d, index = c("state", "year"))
  group <- as.character(index(pd)[[1L]])
  specs <- list(pooling = c("pooling", "individual"), within = c("within", "individual"),
                twoways = c("within", "twoways"), random = c("random", "individual"))
  for (name in names(specs)) {
    s <- specs[[name]]
    m <- if (s[1] == "random") plm(fml, data = pd, model = "random", random.method = "swar")
         else plm(fml, data = pd, model = s[1], effect = s[2])
    X <- model.matrix(m)
    u <- as.numeric(resid(m))
    n <- nrow(X); k <- ncol(X); G <- length(unique(group))
    # White HC1: plm vcovHC(method = "white1", type = "HC1"), factor n / (n - k)
    Vw <- vcovHC(m, method = "white1", type = "HC1")
    stopifnot(max(abs(Vw - sandwich_by_hand(X, u, NULL, n / (n - k)))) <= 1e-10 * max(abs(Vw)))
    # Stata-style clustered: plm vcovHC(type = "sss", cluster = "group"),
    # factor G/(G-1) (n-1)/(n-k)
    Vs <- vcovHC(m, type = "sss", cluster = "group")
    stopifnot(max(abs(Vs - sandwich_by_hand(X, u, group, G / (G - 1) * (n - 1) / (n - k)))) <=
              1e-10 * max(abs(Vs)))
    ct <- summary(m)$coefficients
    for (t in rownames(ct)) {
      add(tag, name, t, "std_error_hc1", sqrt(Vw[t, t]))
      add(tag, name, t, "std_error_sss_cluster", sqrt(Vs[t, t]))
      add(tag, name, t, "statistic", ct[t, 3])
      add(tag, name, t, "p_value", ct[t, 4])
    }
    # Log-likelihood: pooling = lm; within and twoways = the least-squares dummy-variable
    # regression (its lm logLik and AIC/BIC, all dummies counted); random = re_loglik.
    if (name == "pooling") {
      l <- lm(fml, data = d)
      add(tag, name, ".", "log_lik", as.numeric(logLik(l)))
      add(tag, name, ".", "aic", AIC(l)); add(tag, name, ".", "bic", BIC(l))
    } else if (name != "random") {
      l <- if (name == "within") lm(update(fml, . ~ . + factor(state)), data = d)
           else lm(update(fml, . ~ . + factor(state) + factor(year)), data = d)
      add(tag, name, ".", "log_lik", as.numeric(logLik(l)))
      add(tag, name, ".", "aic", AIC(l)); add(tag, name, ".", "bic", BIC(l))
    } else {
      ll <- re_loglik(m, d, group)
      npar <- length(coef(m)) + 2
      add(tag, name, ".", "log_lik", ll)
      add(tag, name, ".", "aic", -2 * ll + 2 * npar)
      add(tag, name, ".", "bic", -2 * ll + log(n) * npar)
    }
  }
}

# Translog: the log inputs, their squares and cross products; output elasticity of input j at
# the sample means m of the log inputs, e_j = b_j + 2 b_jj m_j + sum_{k != j} b_jk m_k, its
# standard error sqrt(g' V g) with g the gradient of e_j in the coefficients (delta method);
# returns to scale = sum_j e_j.
tl_fml <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp + I(log(pcap)^2) +
  I(log(pc)^2) + I(log(emp)^2) + log(pcap):log(pc) + log(pcap):log(emp) + log(pc):log(emp)
translog <- function(b, V, d, tag, name) {
  inputs <- c("pcap", "pc", "emp")
  lt <- paste0("log(", inputs, ")")
  m <- sapply(inputs, function(v) mean(log(d[[v]])))
  G <- matrix(0, length(b), length(inputs) + 1L, dimnames = list(names(b), NULL))
  for (j in seq_along(inputs)) {
    G[lt[j], j] <- 1
    G[paste0("I(", lt[j], "^2)"), j] <- 2 * m[j]
    for (k in seq_along(inputs)) if (k != j) {
      cross <- if (k > j) paste0(lt[j], ":", lt[k]) else paste0(lt[k], ":", lt[j])
      G[cross, j] <- m[k]
    }
  }
  G[, length(inputs) + 1L] <- rowSums(G[, seq_along(inputs)])
  est <- as.numeric(crossprod(G, b))
  se <- sqrt(diag(t(G) %*% V %*% G))
  labels <- c(paste0("elasticity(", lt, ")"), "returns_to_scale")
  for (i in seq_along(labels)) {
    add(tag, name, labels[i], "estimate", est[i])
    add(tag, name, labels[i], "std_error", se[i])
  }
  for (t in names(b)) {
    add(tag, name, t, "estimate", b[[t]])
    add(tag, name, t, "std_error", sqrt(V[t, t]))
  }
  for (j in seq_along(inputs)) add(tag, name, lt[j], "mean", m[j])
}

# ---- run ------------------------------------------------------------------------------------
d <- read_produc("datasets/plm/Produc.csv")
du <- read_produc("tests/fixtures/reference/produc_unbalanced10.csv")
stopifnot(nrow(d) == 816L, nrow(du) == 735L)
panel_models(d, "balanced")
panel_models(du, "unbalanced")

l <- lm(tl_fml, data = d)
translog(coef(l), vcov(l), d, "balanced", "translog_pooling")
w <- plm(tl_fml, data = pdata.frame(d, index = c("state", "year")), model = "within")
translog(coef(w), vcov(w), d, "balanced", "translog_within")

# CRS Cobb-Douglas: log(gsp/emp) ~ log(pc/emp) + unemp; labour elasticity 1 - b, same SE.
cr <- lm(log(gsp / emp) ~ log(pc / emp) + unemp, data = d)
for (t in names(coef(cr))) {
  add("balanced", "crs", t, "estimate", coef(cr)[[t]])
  add("balanced", "crs", t, "std_error", sqrt(vcov(cr)[t, t]))
}
add("balanced", "crs", "elasticity(log(emp))", "estimate", 1 - coef(cr)[["log(pc/emp)"]])
add("balanced", "crs", "elasticity(log(emp))", "std_error", sqrt(vcov(cr)["log(pc/emp)", "log(pc/emp)"]))

res <- do.call(rbind, rows)
out <- "tests/fixtures/reference/fit_produc_extra.csv"
writeLines(c("data,model,term,statistic,value",
             paste(res$data, res$model, res$term, res$statistic, res$value, sep = ",")), out)
message("wrote ", out, " (", nrow(res), " rows); ", R.version.string, "; plm ",
        packageVersion("plm"), "; sandwich ", packageVersion("sandwich"))
