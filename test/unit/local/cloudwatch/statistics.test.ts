/** Statistics over recorded points: exact Sum/Average/Min/Max/SampleCount, percentiles within the 1 % bucket precision. */
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'
import {MetricStore} from '../../../../src/local/cloudwatch/metric-store.ts'
import {periodsOf, statisticOf} from '../../../../src/local/cloudwatch/statistics.ts'
import {parseQueryForm} from '../../../../src/local/cloudwatch/protocol.ts'
import {openStore} from '../../../../src/local/store/store.ts'

const T0 = Date.UTC(2026, 0, 5, 12)

describe('CloudWatch statistics', () => {
  const store = openStore(':memory:')
  const metrics = new MetricStore({store, now: () => new Date(T0)})
  after(async () => {
    await metrics.close()
    store.close()
  })

  it('aggregates minutes into periods; percentiles are within 1 % of the exact order statistic', () => {
    // Given the values 1..1000 ms spread over three minutes, in a shuffled order
    const values = Array.from({length: 1000}, (_, i) => i + 1)
    for (let i = 0; i < values.length; i++) {
      const v = values[(i * 7919) % values.length]!
      metrics.record('AWS/ApiGateway', 'Latency', [{Name: 'Stage', Value: 'dev'}], v, 'Milliseconds', T0 + (i % 3) * 60_000)
    }
    const series = metrics.find('AWS/ApiGateway', 'Latency', [{Name: 'Stage', Value: 'dev'}])
    // When read as one 5-minute period, then per minute
    const [period] = periodsOf(series, T0, T0 + 300_000, 300_000)
    assert.equal(periodsOf(series, T0, T0 + 300_000, 60_000).length, 3)
    // Then the exact statistics are exact and the percentiles close
    assert.equal(statisticOf(period!, 'SampleCount'), 1000)
    assert.equal(statisticOf(period!, 'Sum'), 500_500)
    assert.equal(statisticOf(period!, 'Average'), 500.5)
    assert.equal(statisticOf(period!, 'Minimum'), 1)
    assert.equal(statisticOf(period!, 'Maximum'), 1000)
    for (const [stat, exact] of [
      ['p50', 500],
      ['p90', 900],
      ['p99', 990],
      ['p99.9', 999],
    ] as const) {
      const got = statisticOf(period!, stat)
      assert.ok(Math.abs(got - exact) / exact <= 0.011, `${stat}: ${got} vs ${exact}`)
    }
    assert.throws(() => statisticOf(period!, 'p101'), {code: 'InvalidParameterValue'})
  })

  it('reads awsQuery forms into nested members', () => {
    const {action, input} = parseQueryForm(
      'Action=GetMetricData&Version=2010-08-01&MetricDataQueries.member.1.Id=a&' +
        'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=Stage&' +
        'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=dev&MetricDataQueries.member.2.Id=b&' +
        'Statistics.member.1=Sum&Statistics.member.2=Maximum',
    )
    assert.equal(action, 'GetMetricData')
    assert.deepEqual(input, {
      MetricDataQueries: [{Id: 'a', MetricStat: {Metric: {Dimensions: [{Name: 'Stage', Value: 'dev'}]}}}, {Id: 'b'}],
      Statistics: ['Sum', 'Maximum'],
    })
  })
})
