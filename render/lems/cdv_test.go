package lems

import "testing"

// TestConditionalUses pins the jLEMS workaround: a derived variable using
// a conditional one, directly or through another derived variable, becomes
// a conditional derived variable of one default case; the others stay,
// and so does every line outside ComponentTypes.
func TestConditionalUses(t *testing.T) {
	in := `<Lems>
  <ComponentType name="A">
    <Dynamics>
      <ConditionalDerivedVariable name="m_case1" dimension="none">
        <Case condition="v .gt. 0" value="v"/>
        <Case value="0"/>
      </ConditionalDerivedVariable>
      <DerivedVariable name="late" dimension="none" value="2 * mid"/>
      <DerivedVariable name="plain" dimension="none" exposure="plain" value="v * 2"/>
      <DerivedVariable name="mid" dimension="none" exposure="mid" value="m_case1 + plain"/>
      <DerivedVariable name="sel" dimension="none" select="syn[*]/i" reduce="add"/>
    </Dynamics>
  </ComponentType>
  <ComponentType name="B">
    <Dynamics>
      <DerivedVariable name="mid" dimension="none" value="v"/>
    </Dynamics>
  </ComponentType>
</Lems>
`
	want := `<Lems>
  <ComponentType name="A">
    <Dynamics>
      <ConditionalDerivedVariable name="m_case1" dimension="none">
        <Case condition="v .gt. 0" value="v"/>
        <Case value="0"/>
      </ConditionalDerivedVariable>
      <ConditionalDerivedVariable name="late" dimension="none">
        <Case value="2 * mid"/>
      </ConditionalDerivedVariable>
      <DerivedVariable name="plain" dimension="none" exposure="plain" value="v * 2"/>
      <ConditionalDerivedVariable name="mid" dimension="none" exposure="mid">
        <Case value="m_case1 + plain"/>
      </ConditionalDerivedVariable>
      <DerivedVariable name="sel" dimension="none" select="syn[*]/i" reduce="add"/>
    </Dynamics>
  </ComponentType>
  <ComponentType name="B">
    <Dynamics>
      <DerivedVariable name="mid" dimension="none" value="v"/>
    </Dynamics>
  </ComponentType>
</Lems>
`
	if got := string(conditionalUses([]byte(in))); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
