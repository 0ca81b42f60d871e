module strata.test/goguest

go 1.24
